import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from './schema.js';
import { SqliteIndexStore } from './sqlite-store.js';

describe('SQLite open: article rows', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsrag-sqlite-open-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads what it wrote, drops unknown meta fields as the schema does, and names a malformed record', async () => {
    const store = new SqliteIndexStore(dir);
    const rng = prng(3);
    const a = syntheticArticle(rng, 'a1', { chunks: 2, dimensions: 8, title: 'One', date: '2024-01-02' });
    const b = syntheticArticle(rng, 'a2', { chunks: 1, dimensions: 8, source: 'Wire' });
    (await store.write(syntheticUpdate(8, [a, b]))).close();
    const first = await store.open();
    expect(first?.articles()).toEqual([a.record, b.record]);
    first?.close();

    const db = new Database(join(dir, SQLITE_FILE));
    db.prepare("UPDATE articles SET meta = ? WHERE id = 'a1'").run(JSON.stringify({ title: 'One', extra: 5 }));
    db.close();
    const second = await store.open();
    expect(second?.article('a1')?.meta).toEqual({ title: 'One' });
    second?.close();

    const db2 = new Database(join(dir, SQLITE_FILE));
    db2.prepare("UPDATE articles SET meta = ? WHERE id = 'a2'").run(JSON.stringify({ title: 7 }));
    db2.close();
    await expect(store.open()).rejects.toThrow(/article a2: meta\.title/);
  });
});
