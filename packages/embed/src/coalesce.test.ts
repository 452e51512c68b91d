/**
 * Dynamic batching: small requests made while the model is busy run together in one pass,
 * and each text still gets exactly the vector it gets alone (real all-MiniLM-L6-v2, from the
 * cache the test set-up filled).
 */

import { maxAbsDiff } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from './create.js';
import { COALESCED_PASS, TransformersEmbedder } from './transformers-embedder.js';

const QUESTIONS = [
  'What gifts did Putin and Kim exchange?',
  'When did Putin last visit North Korea?',
  'How many portraits of Putin were hung around Pyongyang?',
  'What did the pact say about mutual defence?',
  'Who met the Russian president at the airport?',
  'Which dogs did Kim give?',
  'Why did the visit worry South Korea?',
  'What car did Kim receive in February?',
  'How long did the two leaders spend together?',
  'Did the United States comment on the treaty?',
  'What is the population of Vietnam?',
  'Where did Putin go after Pyongyang?',
];

let embedder: TransformersEmbedder;
beforeAll(async () => {
  // No query cache: these tests count the passes that repeated queries take.
  const e = await createEmbedder({ model: 'all-MiniLM-L6-v2', dtype: 'q8', allowRemote: false, queryCacheSize: 0 });
  if (!(e instanceof TransformersEmbedder)) throw new Error('expected the transformers.js embedder');
  embedder = e;
});
afterAll(async () => {
  await embedder?.dispose();
});

describe('requests that arrive together', () => {
  it('are embedded in passes of a few texts each, each exactly as alone', async () => {
    const alone: Float32Array[] = [];
    const before = embedder.forwardPasses;
    for (const q of QUESTIONS) alone.push(await embedder.embedQuery(q));
    expect(embedder.forwardPasses - before).toBe(QUESTIONS.length);

    const start = embedder.forwardPasses;
    const together = await Promise.all(QUESTIONS.map((q) => embedder.embedQuery(q)));
    expect(embedder.forwardPasses - start).toBe(Math.ceil(QUESTIONS.length / COALESCED_PASS));
    for (const [i, v] of together.entries()) expect(maxAbsDiff(v, alone[i] as Float32Array)).toBeLessThan(1e-5);
    // Distinct questions have distinct vectors, so a mix-up could not pass unnoticed.
    expect(maxAbsDiff(together[0] as Float32Array, together[1] as Float32Array)).toBeGreaterThan(0.01);
  });

  it('join the group waiting behind a running pass, queries and small document batches alike', async () => {
    const first = embedder.embedQuery(QUESTIONS[0] as string);
    // Issued on later ticks, while the first pass is (or may be) running.
    await Promise.resolve();
    const later = Promise.all([
      embedder.embedQuery(QUESTIONS[1] as string),
      embedder.embedDocuments(QUESTIONS.slice(2, 6)),
      embedder.embedQuery(QUESTIONS[6] as string),
    ]);
    const start = embedder.forwardPasses;
    const [[q1, docs, q6], q0] = await Promise.all([later, first]);
    expect(embedder.forwardPasses - start).toBeLessThanOrEqual(2);
    expect(maxAbsDiff(q0, await embedder.embedQuery(QUESTIONS[0] as string))).toBeLessThan(1e-5);
    expect(maxAbsDiff(q1, await embedder.embedQuery(QUESTIONS[1] as string))).toBeLessThan(1e-5);
    expect(maxAbsDiff(q6, await embedder.embedQuery(QUESTIONS[6] as string))).toBeLessThan(1e-5);
    const docsAlone = await embedder.embedDocuments(QUESTIONS.slice(2, 6), { batchSize: 1 });
    for (const [i, v] of docs.entries()) expect(maxAbsDiff(v, docsAlone[i] as Float32Array)).toBeLessThan(1e-5);
  });

  it('hand each caller its vector when its own pass ends, first come first served', async () => {
    const crowd = [...QUESTIONS, ...QUESTIONS.map((q) => `And ${q.toLowerCase()}`)];
    const passes = Math.ceil(crowd.length / COALESCED_PASS);
    expect(passes).toBeGreaterThanOrEqual(3);
    const start = embedder.forwardPasses;
    const order: number[] = [];
    let passesAtFirst = -1;
    const vectors = await Promise.all(
      crowd.map((q, i) =>
        embedder.embedQuery(q).then((v) => {
          if (order.length === 0) passesAtFirst = embedder.forwardPasses - start;
          order.push(i);
          return v;
        }),
      ),
    );
    expect(embedder.forwardPasses - start).toBe(passes);
    // The first askers did not wait for the last pass (at most the second had started).
    expect(passesAtFirst).toBeGreaterThan(0);
    expect(passesAtFirst).toBeLessThan(passes);
    expect(order).toEqual(crowd.map((_, i) => i));
    for (const [i, q] of crowd.entries()) {
      expect(maxAbsDiff(vectors[i] as Float32Array, await embedder.embedQuery(q))).toBeLessThan(1e-5);
    }
  });

  it('give an empty request its empty answer at once, alone or beside others', async () => {
    await expect(embedder.embedDocuments([])).resolves.toEqual([]);
    const [none, one] = await Promise.all([
      embedder.embedDocuments([]),
      embedder.embedDocuments(QUESTIONS.slice(0, 1)),
    ]);
    expect(none).toEqual([]);
    expect(one).toHaveLength(1);
  });

  it('reject every caller of a group that cannot run (disposed meanwhile), leaving none waiting', async () => {
    const e = await createEmbedder({ model: 'all-MiniLM-L6-v2', dtype: 'q8', allowRemote: false, queryCacheSize: 0 });
    const crowd = QUESTIONS.slice(0, COALESCED_PASS + 2);
    const asked = crowd.map((q) => e.embedQuery(q));
    // Disposed while the group waits for the model: the group's first pass refuses to start.
    const disposed = e.dispose();
    const settled = await Promise.allSettled(asked);
    await disposed;
    expect(settled.map((s) => s.status)).toEqual(crowd.map(() => 'rejected'));
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(Error);
  });

  it('do not join a large document run (its own batches and progress)', async () => {
    const many = Array.from({ length: 70 }, (_, i) => `${QUESTIONS[i % QUESTIONS.length]} (${i})`);
    const progress: number[] = [];
    const start = embedder.forwardPasses;
    const [docs, q] = await Promise.all([
      embedder.embedDocuments(many, { onProgress: (done) => progress.push(done) }),
      embedder.embedQuery(QUESTIONS[3] as string),
    ]);
    expect(progress).toEqual([32, 64, 70]);
    expect(embedder.forwardPasses - start).toBe(4);
    expect(docs).toHaveLength(70);
    expect(maxAbsDiff(q, await embedder.embedQuery(QUESTIONS[3] as string))).toBeLessThan(1e-5);
  });
});
