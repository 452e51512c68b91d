/**
 * A question answered from a prepared slice (what a server engine's reader hands the
 * pipeline, see IndexReader.prepare) is the question answered from the whole index: same
 * passages, scores, quotes and confidence. The slice here is cut from a real SQLite index of
 * the seeds (stand-in embedder) by the same rule as the Postgres reader: both searches' hits
 * with the whole of their articles, and the document frequencies of the question's words.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { SEED_ARTICLES } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../answer/answer.js';
import { openKnowledgeBase } from '../kb.js';
import { search } from '../retrieve/search.js';
import type { IndexReader, ReadPlan } from './contract.js';
import { SliceReader, snapshotOf } from './slice-reader.js';
import { SqliteIndexStore } from './sqlite/sqlite-store.js';

let root: string;
let embedder: Embedder;
let whole: IndexReader;

/** `whole` with a `prepare` that cuts slices from it; every slice made is kept in `slices`. */
function preparing(base: IndexReader, slices: SliceReader[]): IndexReader {
  const rowsOf = new Map<string, number[]>();
  for (let row = 0; row < base.chunkCount; row++) {
    const id = base.chunk(row).articleId;
    rowsOf.set(id, [...(rowsOf.get(id) ?? []), row]);
  }
  const reader: IndexReader = Object.create(base, {
    prepare: {
      value: async (plan: ReadPlan) => {
        const dense = plan.queryVector ? base.denseSearch(plan.queryVector, plan.k, plan.filter) : [];
        const lexical = plan.lexicalQuery ? base.lexicalSearch(plan.lexicalQuery, plan.k, plan.filter) : [];
        const ids = [...new Set([...dense, ...lexical].map((h) => base.chunk(h.row).articleId))];
        const byChunk = (hits: typeof dense) => hits.map((h) => ({ chunkId: base.chunk(h.row).id, score: h.score }));
        const slice = new SliceReader({
          base: reader,
          articles: ids.map((id) => {
            const rows = rowsOf.get(id) ?? [];
            return { id, chunks: rows.map((r) => base.chunk(r)), vectors: rows.map((r) => base.vector(r)) };
          }),
          dense: byChunk(dense),
          lexical: byChunk(lexical),
          frequencies: new Map(plan.words.map((w) => [w, base.documentFrequency?.(w) ?? 0])),
        });
        slices.push(slice);
        return slice;
      },
    },
  });
  return reader;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'newsrag-slice-'));
  const kb = await openKnowledgeBase({ indexDir: root, model: 'standin' });
  await kb.index([SEED_ARTICLES]);
  await kb.close();
  embedder = await createEmbedder({ model: 'standin' });
  whole = (await new SqliteIndexStore(root).open()) as IndexReader;
});

afterAll(async () => {
  whole?.close?.();
  await embedder?.dispose();
  await rm(root, { recursive: true, force: true });
});

const QUESTIONS = [
  'What gifts did Putin and Kim exchange?',
  'Who won the football match between Brazil and Argentina?',
  'How many hours did Putin and Kim spend together during the visit?',
  'What did Refco announce about its debts?',
];

describe('a prepared slice', () => {
  it('answers every question exactly as the whole index does, a filtered one from its article alone', async () => {
    const slices: SliceReader[] = [];
    const prepared = preparing(whole, slices);
    for (const q of QUESTIONS) {
      const [a, b] = [await answer(whole, embedder, q), await answer(prepared, embedder, q)];
      expect(b.passages).toEqual(a.passages);
      expect(b.citations).toEqual(a.citations);
      expect(b.confidence).toBe(a.confidence);
      expect(b.abstained).toBe(a.abstained);
      const filter = { articleIds: [a.passages[0]?.articleId as string] };
      const [s, t] = [await search(whole, embedder, q, { filter }), await search(prepared, embedder, q, { filter })];
      expect(t.passages).toEqual(s.passages);
      // The filtered slice holds the one article let through, of the index's three.
      expect(t.reader).toBe(slices.at(-1));
      expect([...(slices.at(-1) as SliceReader).articleRows().keys()]).toEqual(filter.articleIds);
    }
    expect(whole.articles().length).toBeGreaterThan(1);
  });

  it('counts as its index (chunkCount, articles, caches) and refuses reads it was not cut for', async () => {
    const slices: SliceReader[] = [];
    const prepared = preparing(whole, slices);
    await search(prepared, embedder, 'Putin Kim limousine');
    const slice = slices[0] as SliceReader;
    expect(slice.chunkCount).toBe(whole.chunkCount);
    expect(slice.articles()).toEqual(whole.articles());
    expect(snapshotOf(slice)).toBe(prepared);
    // An article's rows are contiguous, in chunk order, numbered by the slice.
    for (const rows of slice.articleRows().values()) {
      rows.forEach((row, i) => {
        expect(slice.chunk(row).ordinal).toBe(i);
        if (i > 0) expect(row).toBe((rows[i - 1] as number) + 1);
      });
    }
    const held = [...slice.articleRows().values()].reduce((n, rows) => n + rows.length, 0);
    expect(() => slice.chunk(held)).toThrow(/does not hold/);
    expect(() => slice.documentFrequency('zebra-never-asked')).toThrow(/does not hold/);
  });
});
