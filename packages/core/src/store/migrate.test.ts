import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { prng, SEED_ARTICLES } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKnowledgeBase } from '../kb.js';
import { FolderIndexStore } from './folder-store.js';
import { migrateFolderToSqlite, verifyMigration } from './migrate.js';
import type { FolderIndexReader } from './reader.js';
import { detectEngine, openIndexStore } from './select.js';
import { SqliteIndexStore } from './sqlite/sqlite-store.js';

let root: string;
let n = 0;
let embedder: Embedder;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsrag-migrate-'));
  embedder = await createEmbedder({ model: 'standin' });
});
afterAll(async () => {
  await embedder?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A folder index of 30 synthetic articles (two writes, so it has a previous generation too). */
async function folderIndex(): Promise<{ dir: string; reader: FolderIndexReader }> {
  const dir = join(root, `index-${++n}`);
  const rng = prng(n);
  const store = new FolderIndexStore(dir);
  const first = Array.from({ length: 20 }, (_, i) =>
    syntheticArticle(rng, `art/${i}`, { chunks: 1 + (i % 4), dimensions: 8, title: `Story ${i}`, source: 'bbc' }),
  );
  await store.write(syntheticUpdate(8, first));
  const second = Array.from({ length: 10 }, (_, i) =>
    syntheticArticle(rng, `more/${i}`, { chunks: 2, dimensions: 8, inject: `rareword${i}` }),
  );
  const reader = (await store.write(syntheticUpdate(8, second, ['art/3']))) as FolderIndexReader;
  return { dir, reader };
}

describe('migrating a folder index to SQLite', () => {
  it('copies everything, verifies it, then removes the folder-format files', async () => {
    const { dir, reader } = await folderIndex();
    expect(detectEngine(dir)).toBe('folder');
    const result = await migrateFolderToSqlite(dir);
    expect(result).toMatchObject({ articles: 29, chunks: reader.chunkCount, removedOld: true });
    const entries = await readdir(dir);
    expect(entries.filter((e) => e.startsWith('gen-') || e === 'CURRENT' || e.startsWith('migrate.tmp'))).toEqual([]);
    expect(detectEngine(dir)).toBe('sqlite');
    const migrated = await new SqliteIndexStore(dir).open();
    if (!migrated) throw new Error('no index after migration');
    expect(migrated.articles()).toEqual(reader.articles());
    expect(migrated.manifest).toMatchObject({
      fingerprintId: reader.manifest.fingerprintId,
      chunkCount: reader.chunkCount,
    });
    expect(migrated.lexicalSearch('rareword4', 5).map((h) => migrated.chunk(h.row).id)).toEqual(['more/4#0']);
    migrated.close();
    expect((await new SqliteIndexStore(dir).check()).problems).toEqual([]);
  });

  it('keeps the old files with keepOld, and auto then picks the SQLite engine', async () => {
    const { dir } = await folderIndex();
    await migrateFolderToSqlite(dir, { keepOld: true });
    expect(existsSync(join(dir, 'CURRENT'))).toBe(true);
    expect((await openIndexStore(dir)).engine).toBe('sqlite');
  });

  it('happens on first open when the sqlite engine is asked for; the folder engine refuses a SQLite index', async () => {
    const { dir } = await folderIndex();
    const notices: string[] = [];
    const store = await openIndexStore(dir, { engine: 'sqlite', onNotice: (l) => notices.push(l) });
    expect(store.engine).toBe('sqlite');
    expect(notices.join()).toMatch(/Migrated the folder index .*\(29 articles/);
    await expect(openIndexStore(dir, { engine: 'folder' })).rejects.toMatchObject({ code: 'BAD_OPTIONS' });
  });

  it('fails verification (INDEX_CORRUPT) when the copy differs from the source', async () => {
    const { dir, reader } = await folderIndex();
    const other = join(root, `copy-${n}`);
    const sqlite = new SqliteIndexStore(other);
    const d = reader.manifest.dimensions;
    await sqlite.commit({
      fingerprint: reader.manifest.fingerprint,
      fingerprintId: reader.manifest.fingerprintId,
      dimensions: d,
      removals: [],
      upserts: reader.articles().map((record) => {
        const { first, count } = reader.rowsOf(record.id);
        return {
          record,
          chunks: Array.from({ length: count }, (_, k) => reader.chunk(first + k)),
          vectors: reader.matrix().slice(first * d, (first + count) * d),
        };
      }),
    });
    const good = await sqlite.open();
    expect(() => verifyMigration(reader, good as NonNullable<typeof good>, dir)).not.toThrow();
    good?.close();
    const db = new Database(sqlite.file);
    db.exec("UPDATE chunks SET text = upper(text) WHERE id = 'art/0#0'");
    db.close();
    const bad = await sqlite.open();
    expect(() => verifyMigration(reader, bad as NonNullable<typeof bad>, dir)).toThrow(/chunk art\/0#0 differs/);
    bad?.close();
  });

  it('a knowledge base on the sqlite engine indexes, answers, and updates incrementally', async () => {
    const dir = join(root, 'kb');
    const kb = await openKnowledgeBase({ indexDir: dir, engine: 'sqlite', embedder });
    try {
      const first = await kb.index([SEED_ARTICLES]);
      expect(first.added).toBeGreaterThan(0);
      const stats = await kb.stats({ check: true });
      expect(stats).toMatchObject({ engine: 'sqlite', articles: first.added });
      expect(stats.check?.problems).toEqual([]);
      const answer = await kb.answer('What gifts did Putin and Kim exchange?');
      expect(answer.abstained).toBe(false);
      expect(answer.citations.length).toBeGreaterThan(0);
      const again = await kb.index([SEED_ARTICLES]);
      expect(again).toMatchObject({ added: 0, updated: 0, chunksEmbedded: 0 });
      expect((await kb.stats()).generation).toBe(stats.generation);
    } finally {
      await kb.close();
    }
    expect(detectEngine(dir)).toBe('sqlite');
  });
});
