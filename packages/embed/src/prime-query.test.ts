/**
 * Priming queries (`primeQuery`): a burst of distinct queries primed as they arrive is embedded
 * in full passes, later `embedQuery` calls take the primed vectors without a pass, and the
 * vectors are the ones each query gets alone (real all-MiniLM-L6-v2 q8, from the model cache
 * the test set-up filled).
 */

import { maxAbsDiff } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from './create.js';
import { EmbedError } from './errors.js';
import { COALESCED_PASS, TransformersEmbedder } from './transformers-embedder.js';

const BATCH = 32;
const WHO = [
  'Putin',
  'Kim',
  'the minister',
  'the coach',
  'the court',
  'the bank',
  'the mayor',
  'the union',
  'the club',
  'the army',
];
const WHAT = ['sign', 'announce', 'refuse', 'promise', 'deny', 'say about the pact'];
/** 60 distinct questions, as a crowd asks them. */
const CROWD = WHO.flatMap((who) => WHAT.map((what) => `What did ${who} ${what} on Tuesday?`));

const open = async (queryCacheSize: number): Promise<TransformersEmbedder> => {
  const e = await createEmbedder({
    model: 'all-MiniLM-L6-v2',
    dtype: 'q8',
    allowRemote: false,
    queryCacheSize,
    batchSize: BATCH,
  });
  if (!(e instanceof TransformersEmbedder)) throw new Error('expected the transformers.js embedder');
  return e;
};

let primed: TransformersEmbedder;
let alone: TransformersEmbedder;
beforeAll(async () => {
  [primed, alone] = await Promise.all([open(1024), open(0)]);
});
afterAll(async () => {
  await Promise.all([primed?.dispose(), alone?.dispose()]);
});

describe('primeQuery', () => {
  it('embeds a burst of N distinct queries in ceil(N / pass size) passes; embedQuery then needs none', async () => {
    const burst = CROWD.slice(0, 50);
    const before = primed.forwardPasses;
    for (const q of burst) primed.primeQuery(q);
    expect(primed.primedQueries).toBe(burst.length);
    // Asked in the order the lane starts them, one after the other, as the bot's answers do.
    const vectors: Float32Array[] = [];
    for (const q of burst) vectors.push(await primed.embedQuery(q));
    expect(primed.forwardPasses - before).toBe(Math.ceil(burst.length / Math.min(BATCH, COALESCED_PASS)));
    // Without priming, one query at a time: a pass each.
    const passesAlone = alone.forwardPasses;
    for (const [i, q] of burst.entries()) {
      expect(maxAbsDiff(vectors[i] as Float32Array, await alone.embedQuery(q))).toBeLessThan(1e-5);
    }
    expect(alone.forwardPasses - passesAlone).toBe(burst.length);
  });

  it('primes nothing already cached or in flight', async () => {
    const q = CROWD[55] as string;
    primed.primeQuery(q);
    primed.primeQuery(q);
    const primedBefore = primed.primedQueries;
    const passes = primed.forwardPasses;
    await primed.embedQuery(q);
    primed.primeQuery(q);
    await primed.embedQuery(q);
    expect(primed.primedQueries).toBe(primedBefore);
    expect(primed.forwardPasses).toBe(passes + 1);
  });

  it('does nothing without a query cache (the vector would be computed twice)', async () => {
    const passes = alone.forwardPasses;
    alone.primeQuery(CROWD[56] as string);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alone.forwardPasses).toBe(passes);
    expect(alone.primedQueries).toBe(0);
  });

  it('refuses a non-string and a disposed embedder, like embedQuery', async () => {
    expect(() => primed.primeQuery(42 as unknown as string)).toThrow(EmbedError);
    const gone = await open(16);
    await gone.dispose();
    expect(() => gone.primeQuery('What did Putin sign?')).toThrowError(
      expect.objectContaining({ code: 'EMBED_DISPOSED' }),
    );
  });
});
