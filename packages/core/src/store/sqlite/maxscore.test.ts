import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleUpsert } from '../contract.js';
import { exhaustive } from './exhaustive.fixture.js';
import { SKIP_BLOCK } from './postings.js';
import { SQLITE_FILE, SQLITE_SCHEMA_VERSION } from './schema.js';
import { downgradeToSchema2 } from './schema1.fixture.js';
import type { SqliteIndexReader } from './sqlite-reader.js';
import { SqliteIndexStore } from './sqlite-store.js';

const D = 8;

/** Zipf-like words: `c0`… are in most chunks, `r…` in a handful, so MaxScore has common terms to skip. */
function zipfText(rng: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(`c${Math.floor(200 ** (rng() ** 1.6)) - 1}`);
  return out.join(' ');
}

function article(rng: () => number, id: string, version = 0): ArticleUpsert {
  const a = syntheticArticle(rng, id, { chunks: 1 + Math.floor(rng() * 6), dimensions: D, version });
  let offset = 0;
  for (const c of a.chunks) {
    c.text = zipfText(rng, 3 + Math.floor(rng() * 25));
    c.start = offset;
    c.end = offset + c.text.length;
    offset = c.end + 1;
  }
  a.record.length = offset - 1;
  a.record.meta = { title: zipfText(rng, 1 + Math.floor(rng() * 6)) };
  return a;
}

describe('SQLite lexical search with MaxScore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsrag-maxscore-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ranks random indexes after writes, replacements, removals and merges exactly as the exhaustive scorer', async () => {
    let skipped = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const rng = prng(seed);
      const location = join(dir, `i${seed}`);
      const store = new SqliteIndexStore(location);
      const ids = Array.from({ length: 120 }, (_, i) => `s${seed}/a${i}`);
      (
        await store.write(
          syntheticUpdate(
            D,
            ids.map((id) => article(rng, id)),
          ),
        )
      ).close();
      // Small writes: new articles, replacements (same seq, new generation), removals; segments merge.
      for (let w = 0; w < 12; w++) {
        const upserts = [
          article(rng, `s${seed}/n${w}`),
          article(rng, ids[Math.floor(rng() * ids.length)] as string, w + 1),
        ];
        const removals = rng() < 0.5 ? [ids[Math.floor(rng() * ids.length)] as string] : [];
        (await store.write(syntheticUpdate(D, upserts, removals))).close();
      }
      const reader = (await store.open()) as SqliteIndexReader;
      const reference = exhaustive(reader, join(location, SQLITE_FILE));
      try {
        for (let q = 0; q < 40; q++) {
          // Query words from the texts (common and rare), repeats, and a word nothing holds.
          const words = Array.from({ length: 1 + Math.floor(rng() * 6) }, () =>
            rng() < 0.1 ? 'zzunknown' : `c${Math.floor(200 ** (rng() ** 0.8)) - 1}`,
          );
          const query = words.join(' ');
          const k = [1, 5, 10, 50][Math.floor(rng() * 4)] as number;
          const filter = rng() < 0.25 ? { articleIds: ids.filter(() => rng() < 0.5).concat(`s${seed}/n3`) } : undefined;
          const got = reader.lexicalSearch(query, k, filter);
          expect(got, `seed ${seed}: "${query}" k ${k}${filter ? ' filtered' : ''}`).toEqual(
            reference.search(query, k, filter),
          );
        }
        for (let w = 0; w < 200; w += 7)
          expect(reader.documentFrequency(`c${w}`)).toBe(reference.documentFrequency(`c${w}`));
      } finally {
        reference.close();
        reader.close();
      }
      expect((await store.check()).problems).toEqual([]);
      const db = new Database(join(location, SQLITE_FILE), { readonly: true });
      skipped += db.prepare('SELECT count(*) FROM postings WHERE skips IS NOT NULL').pluck().get() as number;
      db.close();
    }
    // The common terms' big segments have skip data, so the lookups above went through it.
    expect(skipped).toBeGreaterThan(10);
  });

  it('upgrades a schema-2 index on open: skip data and term statistics from its postings, the same answers', async () => {
    const rng = prng(21);
    const store = new SqliteIndexStore(dir);
    const ids = Array.from({ length: 60 }, (_, i) => `u${i}`);
    (
      await store.write(
        syntheticUpdate(
          D,
          ids.map((id) => article(rng, id)),
        ),
      )
    ).close();
    (await store.write(syntheticUpdate(D, [article(rng, 'u3', 1)], ['u4', 'u5']))).close();
    const queries = ['c0 c1 c7', 'c2 c2 c40', 'c150 c0'];
    let reader = (await store.open()) as SqliteIndexReader;
    const before = queries.map((q) => reader.lexicalSearch(q, 10));
    const df = reader.documentFrequency('c0');
    reader.close();
    const file = join(dir, SQLITE_FILE);
    const shape = () => {
      const db = new Database(file, { readonly: true });
      try {
        return {
          version: db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").pluck().get(),
          tables: db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all(),
          skips: db.prepare('SELECT count(*) FROM postings WHERE skips IS NOT NULL').pluck().get() as number,
          big: db
            .prepare('SELECT count(*) FROM postings WHERE length(data) > ?')
            .pluck()
            .get(SKIP_BLOCK * 3 + 2) as number,
        };
      } finally {
        db.close();
      }
    };
    const written = shape();
    downgradeToSchema2(file);
    const v2 = new Database(file, { readonly: true });
    expect(v2.prepare("SELECT name FROM pragma_table_info('postings')").pluck().all()).not.toContain('skips');
    expect(v2.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).not.toContain('term_stats');
    v2.close();

    reader = (await store.open()) as SqliteIndexReader;
    const upgraded = shape();
    expect(upgraded.version).toBe(String(SQLITE_SCHEMA_VERSION));
    expect(upgraded.tables).toContain('term_stats');
    expect(upgraded.skips).toBe(written.skips);
    expect(upgraded.skips).toBeGreaterThan(0);
    expect(queries.map((q) => reader.lexicalSearch(q, 10))).toEqual(before);
    expect(reader.documentFrequency('c0')).toBe(df);
    reader.close();
    expect((await store.check()).problems).toEqual([]);
  });

  it('check() names term statistics or skip data that disagree with the postings', async () => {
    const rng = prng(4);
    const store = new SqliteIndexStore(dir);
    (
      await store.write(
        syntheticUpdate(
          D,
          Array.from({ length: 40 }, (_, i) => article(rng, `x${i}`)),
        ),
      )
    ).close();
    const db = new Database(join(dir, SQLITE_FILE));
    db.prepare("UPDATE term_stats SET text_rows = text_rows + 1 WHERE term = 'c1'").run();
    db.prepare("INSERT INTO term_stats VALUES ('ghost', 3, 0, 0)").run();
    db.prepare(
      'UPDATE postings SET skips = zeroblob(length(skips)) WHERE id = (SELECT min(id) FROM postings WHERE skips IS NOT NULL)',
    ).run();
    db.close();
    const problems = (await store.check()).problems.join('\n');
    expect(problems).toMatch(/term_stats of "c1" say/);
    expect(problems).toMatch(/term_stats name "ghost"/);
    expect(problems).toMatch(/skip data that does not match/);
  });
});
