/**
 * Forward passes in a worker thread (`inferenceThread: 'worker'`): the same vectors as on
 * the caller's thread, and the caller's event loop keeps turning while a pass runs (real
 * all-MiniLM-L6-v2 q8, from the cache the test set-up filled).
 */

import { maxAbsDiff } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from './create.js';
import { EmbedError } from './errors.js';
import type { Embedder } from './types.js';

// Long texts: one pass of 32 of them takes hundreds of milliseconds on this model.
const LONG = Array.from(
  { length: 32 },
  (_, i) =>
    `Story ${i}: ${'The finance ministers met in Brussels to agree a budget for the coming year, and talks ran late. '.repeat(12)}`,
);

let onMain: Embedder;
let inWorker: Embedder;
beforeAll(async () => {
  onMain = await createEmbedder({ model: 'all-MiniLM-L6-v2', dtype: 'q8', allowRemote: false });
  inWorker = await createEmbedder({
    model: 'all-MiniLM-L6-v2',
    dtype: 'q8',
    allowRemote: false,
    inferenceThread: 'worker',
  });
});
afterAll(async () => {
  await onMain?.dispose();
  await inWorker?.dispose();
});

/** Timer ticks that ran while `work` was pending. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
  }, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('an embedder whose forward passes run in a worker thread', () => {
  it('gives the vectors the caller-thread embedder gives, for documents and queries', async () => {
    expect(inWorker.fingerprintId).toBe(onMain.fingerprintId);
    expect(inWorker.dimensions).toBe(384);
    const texts = [...LONG.slice(0, 5), 'Putin gave Kim a car.', 'short'];
    const a = await onMain.embedDocuments(texts);
    const b = await inWorker.embedDocuments(texts);
    expect(b).toHaveLength(texts.length);
    for (let i = 0; i < texts.length; i++)
      expect(maxAbsDiff(a[i] as Float32Array, b[i] as Float32Array)).toBeLessThan(1e-5);
    const qa = await onMain.embedQuery('What did Kim give Putin?');
    const qb = await inWorker.embedQuery('What did Kim give Putin?');
    expect(maxAbsDiff(qa, qb)).toBeLessThan(1e-5);
  });

  it('keeps the event loop turning during a pass, where the caller-thread embedder blocks it', async () => {
    // One pass of 32 long texts: on the caller's thread no timer can fire until it ends.
    const blocked = await ticksDuring(() => onMain.embedDocuments(LONG, { batchSize: 32 }));
    const free = await ticksDuring(() => inWorker.embedDocuments(LONG, { batchSize: 32 }));
    expect(blocked).toBeLessThanOrEqual(2);
    expect(free).toBeGreaterThan(blocked + 5);
  });

  it('serves concurrent callers in order, each getting its own vectors', async () => {
    const questions = ['Who won the election?', 'What did the budget cut?', 'Where was the match played?'];
    const alone = await Promise.all(questions.map((q) => onMain.embedQuery(q)));
    const together = await Promise.all(questions.map((q) => inWorker.embedQuery(q)));
    for (const [i, v] of together.entries()) expect(maxAbsDiff(v, alone[i] as Float32Array)).toBeLessThan(1e-5);
  });

  it('refuses work once disposed, and its worker thread is gone', async () => {
    const e = await createEmbedder({
      model: 'all-MiniLM-L6-v2',
      dtype: 'q8',
      allowRemote: false,
      inferenceThread: 'worker',
    });
    await e.dispose();
    await expect(e.embedQuery('x')).rejects.toThrow(EmbedError);
  });

  it('rejects an unknown inferenceThread with the field named', async () => {
    await expect(createEmbedder({ model: 'standin', inferenceThread: 'gpu' as unknown as 'worker' })).rejects.toThrow(
      /inferenceThread/,
    );
  });
});
