/**
 * Both engines rank lexical search alike: the SQLite engine's BM25+ (its own postings, scored by
 * RowBm25Scorer) must give the folder engine's MiniSearch scores, after a first write and after an
 * incremental one (the folder engine then updates MiniSearch in place).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderIndexStore, type IndexReader, type IndexStore } from '@newsrag/core';
import { SqliteIndexStore } from '@newsrag/core/internals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleUpdate, rareWord } from './fixtures.js';

const IDS = Array.from({ length: 40 }, (_, i) => `news/a${i}`);
const QUERIES = [
  'the market and the government',
  'government government policy',
  `Title of news/a3 ${rareWord('news/a7')}`,
  'v0 title',
  'nothing-matches-this zzzz',
];

function ranked(reader: IndexReader, query: string, filter?: { articleIds: string[] }) {
  return reader.lexicalSearch(query, 15, filter).map((r) => ({ id: reader.chunk(r.row).id, score: r.score }));
}

function expectSameRanking(a: IndexReader, b: IndexReader): void {
  for (const query of QUERIES) {
    for (const filter of [undefined, { articleIds: IDS.slice(0, 10) }]) {
      const x = ranked(a, query, filter);
      const y = ranked(b, query, filter);
      expect(y.map((r) => r.score)).toEqual(x.map((r) => expect.closeTo(r.score, 9)));
      // Equal scores may tie in another order, and a tie at the cut may keep other chunks:
      // ids are compared as sets, above the lowest score kept.
      const floor = x.at(-1)?.score ?? 0;
      const key = (rs: { id: string; score: number }[]) =>
        rs
          .filter((r) => r.score > floor + 1e-9)
          .map((r) => `${r.score.toFixed(9)} ${r.id}`)
          .sort();
      expect(key(y)).toEqual(key(x));
    }
  }
}

describe('BM25 parity between the folder and the SQLite engine', () => {
  let dir: string;
  let folder: IndexStore;
  let sqlite: IndexStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsrag-bm25-parity-'));
    folder = new FolderIndexStore(join(dir, 'folder'));
    sqlite = new SqliteIndexStore(join(dir, 'sqlite'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scores every query alike after a first write', async () => {
    const update = articleUpdate(IDS);
    const a = await folder.write(update);
    const b = await sqlite.write(update);
    expect(ranked(a, QUERIES[0] as string).length).toBeGreaterThan(5);
    expectSameRanking(a, b);
    b.close?.();
  });

  it('scores alike after an incremental update with removals', async () => {
    const update = articleUpdate(['news/a1', 'news/b1', 'news/b2'], ['news/a5', 'news/a6']);
    const a = await folder.write(update);
    const b = await sqlite.write(update);
    expect(b.article('news/a5')).toBeUndefined();
    expectSameRanking(a, b);
    b.close?.();
  });
});
