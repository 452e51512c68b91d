import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndexReader } from '../contract.js';
import { SQLITE_FILE } from './schema.js';
import { SqliteIndexStore } from './sqlite-store.js';

const D = 384;

describe('SqliteIndexStore compaction', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsrag-sqlite-compact-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the pages of removed articles to the file system once they pass a quarter of the file', async () => {
    const store = new SqliteIndexStore(dir);
    const rng = prng(7);
    const ids = Array.from({ length: 200 }, (_, i) => `a${i}`);
    (
      await store.write(
        syntheticUpdate(
          D,
          ids.map((id) => syntheticArticle(rng, id, { chunks: 12, dimensions: D })),
        ),
      )
    ).close();
    const file = join(dir, SQLITE_FILE);
    const pagesOf = () => {
      const db = new Database(file, { readonly: true });
      try {
        return {
          pages: db.pragma('page_count', { simple: true }) as number,
          free: db.pragma('freelist_count', { simple: true }) as number,
          mode: db.pragma('auto_vacuum', { simple: true }) as number,
        };
      } finally {
        db.close();
      }
    };
    const full = pagesOf();
    expect(full.mode).toBe(2); // INCREMENTAL
    // A small removal leaves its pages for reuse.
    (await store.write(syntheticUpdate(D, [], ids.slice(0, 5)))).close();
    expect(pagesOf().free).toBeGreaterThan(0);
    expect(pagesOf().pages).toBe(full.pages);
    // Removing most articles frees most pages: they go back to the file system.
    const reader = await store.write(syntheticUpdate(D, [], ids.slice(5, 180)));
    expect(reader.articleCount).toBe(20);
    reader.close();
    const after = pagesOf();
    expect(after.pages).toBeLessThan(full.pages / 2);
    expect(after.free * 4).toBeLessThan(after.pages);
    expect((await stat(file)).size).toBeLessThan(full.pages * 4096);
    const check = await store.check();
    expect(check.problems).toEqual([]);
  });
});

describe('SqliteIndexStore.write', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsrag-sqlite-write-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Everything a reader shows, row by row: records, chunks, vectors, both searches. */
  function state(reader: IndexReader): string {
    const rows = Array.from({ length: reader.chunkCount }, (_, row) => {
      const c = reader.chunk(row);
      return `${c.id} ${c.text} ${Array.from(reader.vector(row).subarray(0, 4)).join(',')}`;
    });
    const query = reader.vector(0);
    return JSON.stringify([
      reader.manifest.generation,
      reader.articles(),
      rows,
      reader.denseSearch(query, 10),
      reader.lexicalSearch(reader.chunk(0).text.split(' ').slice(0, 3).join(' '), 10),
    ]);
  }

  it('returns, from a refresh of the snapshot it last handed out, what a fresh open shows', async () => {
    const store = new SqliteIndexStore(dir);
    const rng = prng(11);
    const article = (id: string) => syntheticArticle(rng, id, { chunks: 3, dimensions: D });
    let reader = await store.write(syntheticUpdate(D, ['a', 'b', 'c', 'd'].map(article)));
    const steps = [
      syntheticUpdate(D, [article('e')]), // added
      syntheticUpdate(D, [article('b')]), // replaced
      syntheticUpdate(D, [], ['a', 'c']), // removed
      syntheticUpdate(D, [article('f'), article('a')], ['d']), // both
    ];
    for (const update of steps) {
      const next = await store.write(update);
      const fresh = (await new SqliteIndexStore(dir).open()) as IndexReader;
      expect(state(next)).toBe(state(fresh));
      fresh.close?.();
      // The snapshot written from stays as it was, open, until its owner closes it.
      expect(reader.isClosed()).toBe(false);
      reader.close();
      reader = next;
    }
    reader.close();
    // With no open snapshot to refresh, a write loads the committed state whole.
    const last = await store.write(syntheticUpdate(D, [article('g')]));
    expect(
      last
        .articles()
        .map((a) => a.id)
        .sort(),
    ).toEqual(['a', 'b', 'e', 'f', 'g']);
    last.close();
  });
});
