import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleUpsert } from '../contract.js';
import { DEAD_CHUNKS_KEY } from './lexical.js';
import { decodeSegment, MAX_SEGMENTS } from './postings.js';
import { SQLITE_FILE, SQLITE_SCHEMA_VERSION } from './schema.js';
import { downgradeToSchema1 } from './schema1.fixture.js';
import type { SqliteIndexReader } from './sqlite-reader.js';
import { SqliteIndexStore } from './sqlite-store.js';

const D = 8;

/** Every lexical hit of `query` as chunk id → score (row numbers differ between stores, ids do not). */
function hits(reader: SqliteIndexReader, query: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const h of reader.lexicalSearch(query, reader.chunkCount)) out.set(reader.chunk(h.row).id, h.score);
  return out;
}

function article(rng: () => number, id: string, version = 0): ArticleUpsert {
  return syntheticArticle(rng, id, {
    chunks: 1 + Math.floor(rng() * 4),
    dimensions: D,
    title: `Title ${id} report`,
    version,
  });
}

function withDb<T>(dir: string, body: (db: Database.Database) => T): T {
  const db = new Database(join(dir, SQLITE_FILE));
  try {
    return body(db);
  } finally {
    db.close();
  }
}

describe('SQLite lexical postings', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsrag-postings-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ranks after many writes, replacements and removals exactly as one write of the final articles', async () => {
    const rng = prng(11);
    const store = new SqliteIndexStore(join(dir, 'incremental'));
    const final = new Map<string, ArticleUpsert>();
    const write = async (upserts: ArticleUpsert[], removals: string[] = []) => {
      (await store.write(syntheticUpdate(D, upserts, removals))).close();
      for (const id of removals) final.delete(id);
      for (const u of upserts) final.set(u.record.id, u);
    };
    await write(Array.from({ length: 30 }, (_, i) => article(rng, `a${i}`)));
    // More single-article writes than MAX_SEGMENTS, so common terms' segments merge.
    for (let i = 30; i < 30 + MAX_SEGMENTS * 2; i++) await write([article(rng, `a${i}`)]);
    await write([article(rng, 'a3', 1), article(rng, 'a7', 1), article(rng, 'new1')]); // replacements keep their seq
    await write([], ['a1', 'a2', 'a20', 'nope']);
    await write([article(rng, 'a7', 2)], ['a3']);

    const fresh = new SqliteIndexStore(join(dir, 'fresh'));
    (await fresh.write(syntheticUpdate(D, [...final.values()]))).close();
    const a = (await store.open()) as SqliteIndexReader;
    const b = (await fresh.open()) as SqliteIndexReader;
    try {
      expect(a.chunkCount).toBe(b.chunkCount);
      const queries = [0, 5, 17, 40, 60].map((row) => b.chunk(row % b.chunkCount).text);
      queries.push('report title', 'a7 a7 title');
      for (const q of queries) expect(hits(a, q)).toEqual(hits(b, q));
      for (const w of ['report', 'title', 'a7', 'a3', 'a1'])
        expect(a.documentFrequency(w)).toBe(b.documentFrequency(w));
      expect(a.documentFrequency('a1')).toBe(0);
    } finally {
      a.close();
      b.close();
    }
    expect((await store.check()).problems).toEqual([]);
    // No term has more than MAX_SEGMENTS segments after the merges.
    const most = withDb(join(dir, 'incremental'), (db) =>
      db.prepare('SELECT max(n) FROM (SELECT count(*) AS n FROM postings GROUP BY term)').pluck().get(),
    );
    expect(most as number).toBeLessThanOrEqual(MAX_SEGMENTS);
  });

  it('leaves removed articles dead in their segments, then drops them all once dead chunks pass a quarter of the live ones', async () => {
    const rng = prng(5);
    const store = new SqliteIndexStore(dir);
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
    (
      await store.write(
        syntheticUpdate(
          D,
          ids.map((id) => article(rng, id)),
        ),
      )
    ).close();
    const entries = () =>
      withDb(dir, (db) => {
        let n = 0;
        for (const data of db.prepare('SELECT data FROM postings').pluck().all() as Buffer[])
          n += decodeSegment(data).title.length / 2;
        return n;
      });
    const before = entries();
    const meta = () =>
      withDb(dir, (db) => Number(db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(DEAD_CHUNKS_KEY)));
    // A small removal writes no posting: the entries stay, dead, and searches skip them.
    let reader = (await store.write(syntheticUpdate(D, [], ['r0', 'r1']))) as SqliteIndexReader;
    expect(entries()).toBe(before);
    expect(meta()).toBeGreaterThan(0);
    expect(reader.documentFrequency('r0')).toBe(0);
    expect(reader.lexicalSearch('r0 r1', 10)).toEqual([]);
    expect(reader.lexicalSearch('r2', 10).length).toBeGreaterThan(0);
    reader.close();
    // Removing most articles compacts: only live entries remain.
    reader = (await store.write(syntheticUpdate(D, [], ids.slice(2, 30)))) as SqliteIndexReader;
    expect(reader.articleCount).toBe(10);
    reader.close();
    expect(meta()).toBe(0);
    expect(entries()).toBe((before / 40) * 10);
    expect((await store.check()).problems).toEqual([]);
  });

  it('check() names postings that disagree with the chunk texts', async () => {
    const rng = prng(3);
    const store = new SqliteIndexStore(dir);
    (await store.write(syntheticUpdate(D, [article(rng, 'x1'), article(rng, 'x2')]))).close();
    withDb(dir, (db) => db.prepare("DELETE FROM postings WHERE term = 'report'").run());
    const report = await store.check();
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/title of article seq \d+: the postings hold/);
  });

  it('upgrades a schema-1 (FTS5) index on open from its stored texts, and a write to one upgrades it first', async () => {
    const rng = prng(9);
    const ids = Array.from({ length: 12 }, (_, i) => `u${i}`);
    const upserts = ids.map((id) => article(rng, id));
    const store = new SqliteIndexStore(dir);
    (await store.write(syntheticUpdate(D, upserts))).close();
    (await store.write(syntheticUpdate(D, [], ['u4']))).close();
    let reader = (await store.open()) as SqliteIndexReader;
    const query = `${reader.chunk(3).text} report`;
    const expected = hits(reader, query);
    reader.close();
    const toSchema1 = () => downgradeToSchema1(join(dir, SQLITE_FILE));
    const tables = () =>
      withDb(dir, (db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    toSchema1();
    reader = (await store.open()) as SqliteIndexReader;
    expect(reader.manifest.schemaVersion).toBe(SQLITE_SCHEMA_VERSION);
    expect(hits(reader, query)).toEqual(expected);
    reader.close();
    expect(tables()).toEqual(expect.arrayContaining(['postings', 'lexical_docs']));
    expect(tables().filter((t) => t.startsWith('chunks_fts'))).toEqual([]);
    expect((await store.check()).problems).toEqual([]);

    toSchema1();
    reader = (await store.write(syntheticUpdate(D, [article(rng, 'u99')]))) as SqliteIndexReader;
    expect(reader.manifest.schemaVersion).toBe(SQLITE_SCHEMA_VERSION);
    expect(reader.lexicalSearch('u99', 5).length).toBeGreaterThan(0);
    expect(hits(reader, query).size).toBeGreaterThanOrEqual(expected.size);
    reader.close();
    expect((await store.check()).problems).toEqual([]);
  });
});
