import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexReader } from '../store/contract.js';
import { FolderIndexStore } from '../store/folder-store.js';
import { bm25Idf, documentFrequencyOf, IDF_FLOOR, questionIdf } from './idf.js';

/** The reader without `documentFrequency`: IDF falls back to one search per word (the old way). */
function searchOnly(reader: IndexReader): IndexReader {
  return {
    manifest: reader.manifest,
    articleCount: reader.articleCount,
    chunkCount: reader.chunkCount,
    article: (id) => reader.article(id),
    articles: () => reader.articles(),
    chunk: (row) => reader.chunk(row),
    denseSearch: (q, k, f) => reader.denseSearch(q, k, f),
    lexicalSearch: (q, k, f) => reader.lexicalSearch(q, k, f),
    vector: (row) => reader.vector(row),
  };
}

describe('questionIdf from document frequencies', () => {
  let dir: string;
  let reader: IndexReader;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsrag-idf-'));
    const rng = prng(5);
    const upserts = Array.from({ length: 30 }, (_, i) =>
      syntheticArticle(rng, `a${i}`, {
        chunks: 4,
        dimensions: 8,
        title: i % 3 === 0 ? 'Putin visits Pyongyang' : `Report ${i}`,
        ...(i % 10 === 0 ? { inject: "Putin's population of 793,000 rose" } : {}),
      }),
    );
    reader = await new FolderIndexStore(join(dir, '.newsrag')).write(syntheticUpdate(8, upserts));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const questions = [
    "How many people did Putin's government count in the population report?",
    'What was the record profit of the company this year?',
    'Did the football club win the match 793,000 times?',
    'Which film won the festival award in Pyongyang?',
    'What about quantum chromodynamics?',
  ];

  it('gives the same IDF as one lexical search per word', () => {
    for (const q of questions) {
      const fast = questionIdf(reader, q);
      const slow = questionIdf(searchOnly(reader), q);
      expect([...fast.entries()]).toEqual([...slow.entries()]);
      expect(fast.size).toBeGreaterThan(0);
    }
  });

  it('weighs rare words above common ones and absent words highest', () => {
    const idf = questionIdf(reader, 'Putin population quantum market');
    const n = reader.chunkCount;
    expect(documentFrequencyOf(reader, 'quantum')).toBe(0);
    expect(idf.get('quantum')).toBeCloseTo(bm25Idf(0, n), 10);
    // "population" is stemmed to "populat" (see analyzers.ts).
    expect(idf.get('populat')).toBeCloseTo(bm25Idf(3, n), 10);
    // "Putin" is in 10 titles (a0, a3 … a27: 40 chunks) and injected into a0, a10, a20:
    // a0's chunk is counted once, so 42.
    expect(documentFrequencyOf(reader, 'Putin')).toBe(42);
    expect(idf.get('putin')).toBe(Math.max(IDF_FLOOR, bm25Idf(42, n)));
    expect(idf.get('quantum') as number).toBeGreaterThan(idf.get('populat') as number);
  });
});
