import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prng, syntheticArticle, syntheticUpdate } from '../testing.js';
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
