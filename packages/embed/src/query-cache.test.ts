/**
 * The query cache: a query asked again is answered from memory with exactly the vector a
 * pass gives it, the cache stays within its size, and a crowd asking one thing at once
 * shares one row of one pass (real all-MiniLM-L6-v2, from the cache the test set-up filled).
 */

import { maxAbsDiff } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from './create.js';
import { resolveOptions } from './options.js';
import { TransformersEmbedder } from './transformers-embedder.js';

const QUESTIONS = [
  'What gifts did Putin and Kim exchange?',
  'When did Putin last visit North Korea?',
  'How many portraits of Putin were hung around Pyongyang?',
  'What did the pact say about mutual defence?',
  'Who met the Russian president at the airport?',
];

const open = async (queryCacheSize: number): Promise<TransformersEmbedder> => {
  const e = await createEmbedder({ model: 'all-MiniLM-L6-v2', dtype: 'q8', allowRemote: false, queryCacheSize });
  if (!(e instanceof TransformersEmbedder)) throw new Error('expected the transformers.js embedder');
  return e;
};

let cached: TransformersEmbedder;
let uncached: TransformersEmbedder;
beforeAll(async () => {
  [cached, uncached] = await Promise.all([open(3), open(0)]);
});
afterAll(async () => {
  await Promise.all([cached?.dispose(), uncached?.dispose()]);
});

describe('the query cache', () => {
  it('answers a repeated query without a pass, with the vector a pass gives (within 1e-6)', async () => {
    const q = QUESTIONS[0] as string;
    const first = await cached.embedQuery(q);
    const passes = cached.forwardPasses;
    const hits = cached.queryCache.hits;
    const again = await cached.embedQuery(q);
    expect(cached.forwardPasses).toBe(passes);
    expect(cached.queryCache.hits).toBe(hits + 1);
    expect(maxAbsDiff(again, first)).toBe(0);
    expect(maxAbsDiff(again, await uncached.embedQuery(q))).toBeLessThan(1e-6);
  });

  it('keys by token ids: the spellings the tokenizer folds share a vector, other texts do not', async () => {
    const hits = cached.queryCache.hits;
    await cached.embedQuery('When did Putin last visit North Korea?');
    await cached.embedQuery('  when did PUTIN last visit   north korea? ');
    expect(cached.queryCache.hits).toBe(hits + 1);
    const other = await cached.embedQuery('When did Putin first visit North Korea?');
    expect(cached.queryCache.hits).toBe(hits + 1);
    expect(maxAbsDiff(other, await cached.embedQuery('When did Putin last visit North Korea?'))).toBeGreaterThan(0.01);
  });

  it('holds at most its size, least recently used out first', async () => {
    for (const q of QUESTIONS) await cached.embedQuery(q);
    expect(cached.queryCache).toMatchObject({ size: 3, max: 3 });
    const passes = cached.forwardPasses;
    await cached.embedQuery(QUESTIONS[4] as string);
    expect(cached.forwardPasses).toBe(passes);
    await cached.embedQuery(QUESTIONS[0] as string);
    expect(cached.forwardPasses).toBe(passes + 1);
  });

  it('gives each caller its own copy', async () => {
    const q = QUESTIONS[1] as string;
    const a = await cached.embedQuery(q);
    a.fill(0);
    const b = await cached.embedQuery(q);
    expect(maxAbsDiff(b, await uncached.embedQuery(q))).toBeLessThan(1e-6);
  });

  it('lets a crowd asking the same new question at once share one row of one pass', async () => {
    const q = 'Which dogs did Kim give to Putin as a present?';
    const passes = cached.forwardPasses;
    const hits = cached.queryCache.hits;
    const vectors = await Promise.all(Array.from({ length: 20 }, () => cached.embedQuery(q)));
    expect(cached.forwardPasses - passes).toBe(1);
    expect(cached.queryCache.hits - hits).toBe(19);
    const alone = await uncached.embedQuery(q);
    for (const v of vectors) expect(maxAbsDiff(v, alone)).toBeLessThan(1e-6);
  });

  it('is off with size 0, and on by default', async () => {
    expect(uncached.queryCache.max).toBe(0);
    expect(resolveOptions({}).queryCacheSize).toBe(1024);
  });
});

describe('intra-op threads', () => {
  it('leave the caller a core when passes run in a worker', () => {
    const cores = resolveOptions({}).threads;
    expect(resolveOptions({ inferenceThread: 'worker' }).threads).toBe(Math.max(1, cores - 1));
    expect(resolveOptions({ inferenceThread: 'worker', threads: 4 }).threads).toBe(4);
  });
});
