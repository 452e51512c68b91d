import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { prng } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderIndexStore } from '../store/folder-store.js';
import { questionIdf } from '../text/idf.js';
import type { Passage } from '../types.js';
import { candidateSentences, worthEmbedding } from './candidates.js';
import { embedSentences } from './sentence-vectors.js';

describe('embedSentences (real stand-in embedder)', () => {
  let embedder: Embedder;
  /** What the real embedder was asked to embed, call by call. */
  const asked: string[][] = [];
  let counting: Embedder;
  beforeAll(async () => {
    embedder = await createEmbedder({ model: 'standin' });
    // Delegates to the real embedder; only records the texts each call receives.
    counting = Object.create(embedder, {
      embedDocuments: {
        value: (texts: readonly string[]) => {
          asked.push([...texts]);
          return embedder.embedDocuments(texts);
        },
      },
    }) as Embedder;
  });
  afterAll(async () => {
    await embedder.dispose();
  });

  it('returns what the embedder returns, and embeds each new sentence once per embedder', async () => {
    const first = [
      'The central bank raised rates.',
      'Shares fell sharply on Monday.',
      'The central bank raised rates.',
    ];
    const direct = await embedder.embedDocuments(first);
    const got = await embedSentences(counting, first);
    expect(got).toHaveLength(3);
    got.forEach((v, i) => {
      const want = direct[i] as Float32Array;
      for (let j = 0; j < want.length; j++) expect(Math.abs((v[j] as number) - (want[j] as number))).toBeLessThan(1e-5);
    });
    expect(asked).toEqual([['The central bank raised rates.', 'Shares fell sharply on Monday.']]);
    const again = await embedSentences(counting, ['Shares fell sharply on Monday.', 'Oil prices rose.']);
    expect(asked[1]).toEqual(['Oil prices rose.']);
    expect(again[0]).toBe(got[1]);
    const all = await embedSentences(counting, first);
    expect(asked).toHaveLength(2);
    expect(all[0]).toBe(got[0]);
  });

  it('keeps at most `capacity` sentences, dropping the least recently used', async () => {
    const calls: string[][] = [];
    // A second wrapper is a second embedder, so it gets a cache of its own, of capacity 2.
    const small = Object.create(embedder, {
      embedDocuments: {
        value: (texts: readonly string[]) => {
          calls.push([...texts]);
          return embedder.embedDocuments(texts);
        },
      },
    }) as Embedder;
    const texts = ['One sentence here.', 'Two sentences here.', 'Three sentences here.'];
    await embedSentences(small, texts, 2);
    await embedSentences(small, [texts[2] as string, texts[1] as string], 2);
    expect(calls).toHaveLength(1);
    await embedSentences(small, [texts[0] as string], 2);
    expect(calls[1]).toEqual([texts[0]]);
  });
});

describe('worthEmbedding', () => {
  const passage = (i: number, text: string): Passage => ({
    rank: i + 1,
    chunkId: `c${i}`,
    articleId: `a${i}`,
    text,
    start: 0,
    end: text.length,
    score: 1,
    retrievers: {},
  });
  it('keeps every sentence of the first passages and, after them, only sentences with a question term', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsrag-worth-'));
    try {
      const reader = await new FolderIndexStore(join(dir, '.newsrag')).write(
        syntheticUpdate(8, [syntheticArticle(prng(2), 'a', { chunks: 3, dimensions: 8, inject: 'Inflation hit 5%.' })]),
      );
      const idf = questionIdf(reader, 'What did inflation reach?');
      const passages = [0, 1, 2].map((i) =>
        passage(i, 'The weather was fine all week long. Inflation reached five percent in March.'),
      );
      const all = candidateSentences(passages, 3);
      expect(all).toHaveLength(6);
      const kept = worthEmbedding(all, idf, 1);
      expect(kept.map((c) => [c.passageIndex, c.ordinal])).toEqual([
        [0, 0],
        [0, 1],
        [1, 1],
        [2, 1],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
