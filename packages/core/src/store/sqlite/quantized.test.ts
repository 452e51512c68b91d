import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng, randomUnitVectors } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NewsragError } from '../../errors.js';
import { SQLITE_FILE, SQLITE_SCHEMA_VERSION } from './schema.js';
import { downgradeToSchema1 } from './schema1.fixture.js';
import type { SqliteIndexReader } from './sqlite-reader.js';
import { SqliteIndexStore } from './sqlite-store.js';

const D = 48;

/** Everything a snapshot answers with, to compare two snapshots of the same state. */
function describeSnapshot(r: SqliteIndexReader, queries: Float32Array[]): unknown {
  const s = r.snapshot();
  return {
    // schemaVersion left out: a schema-1 file answers like its schema-2 upgrade.
    manifest: { ...r.manifest, updatedAt: '', createdAt: '', schemaVersion: 0 },
    articles: r.articles(),
    seqs: s.seqs,
    rows: Array.from({ length: r.chunkCount }, (_, row) => [r.chunk(row).id, Array.from(r.vector(row))]),
    codes: Array.from(s.quantized.codes),
    scales: Array.from(s.quantized.scales),
    fieldLengths: Array.from(s.fieldLengths),
    dense: queries.map((q) => r.denseSearch(q, 5)),
    lexical: ['alpha', 'river council', 'zebra'].map((q) => r.lexicalSearch(q, 5)),
  };
}

function schemaOf(file: string): { version: string; tables: string[]; columns: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").pluck().get() as string,
      tables: db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[],
      columns: (db.prepare('PRAGMA table_info(articles)').all() as { name: string }[]).map((c) => c.name),
    };
  } finally {
    db.close();
  }
}

describe('SQLite vectors: int8 in memory, exact on demand, refresh from the changes log', () => {
  let dir: string;
  const readers: SqliteIndexReader[] = [];
  const rng = prng(11);
  const queries = Array.from({ length: 4 }, () => randomUnitVectors(rng, 1, D));
  const article = (id: string, chunks = 3, version = 0) =>
    syntheticArticle(rng, id, {
      chunks,
      dimensions: D,
      title: `Alpha ${id}`,
      version,
      ...(id.endsWith('7') ? { inject: 'zebra river council' } : {}),
    });
  const track = <T extends SqliteIndexReader | null>(r: T): T => {
    if (r) readers.push(r);
    return r;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsrag-sqlite-q-'));
  });
  afterEach(async () => {
    for (const r of readers.splice(0)) r.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes schema 2: vectors and quantized tables, none in articles', async () => {
    const store = new SqliteIndexStore(dir);
    track(await store.write(syntheticUpdate(D, [article('a1'), article('a2')])));
    const s = schemaOf(join(dir, SQLITE_FILE));
    expect(s.version).toBe(String(SQLITE_SCHEMA_VERSION));
    expect(s.tables).toEqual(expect.arrayContaining(['vectors', 'quantized']));
    expect(s.columns).not.toContain('vectors');
  });

  it('vector(row) is the exact float32 vector written; dense search ranks by the exact dot product', async () => {
    const store = new SqliteIndexStore(dir);
    const upserts = Array.from({ length: 30 }, (_, i) => article(`a${i}`, 4));
    const r = track(await store.write(syntheticUpdate(D, upserts)));
    let row = 0;
    const all: { row: number; score: number }[] = [];
    for (const u of upserts) {
      for (let i = 0; i < u.record.chunkCount; i++, row++) {
        expect(Array.from(r.vector(row))).toEqual(Array.from(u.vectors.subarray(i * D, (i + 1) * D)));
      }
    }
    const q = queries[0] as Float32Array;
    for (let i = 0; i < r.chunkCount; i++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += (r.vector(i)[j] as number) * (q[j] as number);
      all.push({ row: i, score: s });
    }
    all.sort((a, b) => b.score - a.score || a.row - b.row);
    const got = r.denseSearch(q, 10);
    expect(got.map((h) => h.row)).toEqual(all.slice(0, 10).map((h) => h.row));
    for (const [i, h] of got.entries()) expect(h.score).toBeCloseTo((all[i] as { score: number }).score, 6);
  });

  it('upgrades a schema-1 file on open (vectors moved and quantised, nothing re-embedded) without changing what it answers', async () => {
    const store = new SqliteIndexStore(dir);
    const upserts = Array.from({ length: 12 }, (_, i) => article(`a${i}`));
    const v2 = track(await store.write(syntheticUpdate(D, upserts)));
    const before = describeSnapshot(v2, queries);
    v2.close();
    const file = join(dir, SQLITE_FILE);
    downgradeToSchema1(file);
    expect(schemaOf(file).columns).toContain('vectors');

    const upgraded = track(await store.open());
    const s = schemaOf(file);
    expect(s.version).toBe(String(SQLITE_SCHEMA_VERSION));
    expect(s.columns).not.toContain('vectors');
    expect(s.tables).toEqual(expect.arrayContaining(['vectors', 'quantized']));
    expect(upgraded?.snapshot().layout).toBe('tables');
    expect(describeSnapshot(upgraded as SqliteIndexReader, queries)).toEqual(before);
    expect((await store.check()).problems).toEqual([]);

    // The changes log starts at the upgrade: a snapshot from then on refreshes from it.
    const added = article('b1');
    track(await store.write(syntheticUpdate(D, [added])));
    const refreshed = track(await store.refresh(upgraded as SqliteIndexReader));
    const fresh = track(await store.open());
    expect(describeSnapshot(refreshed as SqliteIndexReader, queries)).toEqual(
      describeSnapshot(fresh as SqliteIndexReader, queries),
    );
    expect(Array.from(fresh?.vector((fresh?.chunkCount ?? 0) - 1) ?? [])).toEqual(
      Array.from(added.vectors.subarray(2 * D)),
    );
  });

  it('refreshes from the changes log to exactly what a fresh open sees: adds, replacements, removals, signatures', async () => {
    const store = new SqliteIndexStore(dir);
    let reader = track(
      await store.write(
        syntheticUpdate(
          D,
          Array.from({ length: 20 }, (_, i) => article(`a${i}`)),
        ),
      ),
    );
    const steps = [
      syntheticUpdate(D, [article('b1', 2), article('b2', 5)]),
      syntheticUpdate(D, [article('a3', 4, 1)], ['a5', 'a6', 'nope']),
      syntheticUpdate(D, [], ['a0', 'b1']),
      {
        ...syntheticUpdate(D, [article('a7', 1, 2)]),
        signatures: [{ id: 'a9', signature: { scheme: 'test-scheme', minhash: 'AAAAAA==', shingles: 3 } }],
      },
    ];
    for (const step of steps) {
      track(await store.write(step as ReturnType<typeof syntheticUpdate>));
      const refreshed = track(await store.refresh(reader));
      const fresh = track(await store.open());
      expect(refreshed?.manifest.generation).toBe(fresh?.manifest.generation);
      expect(describeSnapshot(refreshed as SqliteIndexReader, queries)).toEqual(
        describeSnapshot(fresh as SqliteIndexReader, queries),
      );
      reader = refreshed as SqliteIndexReader;
    }
    // Two commits in one refresh.
    const old = reader;
    track(await store.write(syntheticUpdate(D, [article('c1')])));
    track(await store.write(syntheticUpdate(D, [article('c2')], ['a1'])));
    expect(describeSnapshot(track(await store.refresh(old)) as SqliteIndexReader, queries)).toEqual(
      describeSnapshot(track(await store.open()) as SqliteIndexReader, queries),
    );
  });

  it('falls back to a full open after a rebuild, which the changes log does not describe', async () => {
    const store = new SqliteIndexStore(dir);
    const before = track(await store.write(syntheticUpdate(D, [article('a1'), article('a2'), article('a3')])));
    track(await store.write(syntheticUpdate(D, [article('z1')]), { replace: true }));
    const refreshed = track(await store.refresh(before));
    expect(refreshed?.articles().map((a) => a.id)).toEqual(['z1']);
    expect(describeSnapshot(refreshed as SqliteIndexReader, queries)).toEqual(
      describeSnapshot(track(await store.open()) as SqliteIndexReader, queries),
    );
  });

  it('a cut exact vector BLOB is named when read and by check()', async () => {
    const store = new SqliteIndexStore(dir);
    track(await store.write(syntheticUpdate(D, [article('a1'), article('a2')]))).close();
    const file = join(dir, SQLITE_FILE);
    const db = new Database(file);
    db.exec('UPDATE vectors SET exact = substr(exact, 1, 8) WHERE seq = (SELECT min(seq) FROM vectors)');
    db.close();
    const r = track(await store.open()) as SqliteIndexReader;
    expect(() => r.vector(0)).toThrow(NewsragError);
    expect(() => r.vector(0)).toThrow(file);
    const report = await store.check();
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toContain(file);
  });

  it('check() notices int8 codes that no longer match the exact vectors', async () => {
    const store = new SqliteIndexStore(dir);
    track(await store.write(syntheticUpdate(D, [article('a1'), article('a2')]))).close();
    const db = new Database(join(dir, SQLITE_FILE));
    const seq = db.prepare('SELECT min(seq) FROM quantized').pluck().get() as number;
    const codes = db.prepare('SELECT codes FROM quantized WHERE seq = ?').pluck().get(seq) as Buffer;
    codes[codes.length - 1] = (codes[codes.length - 1] as number) ^ 0x40;
    db.prepare('UPDATE quantized SET codes = ? WHERE seq = ?').run(codes, seq);
    db.close();
    const report = await store.check();
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/quantised vectors differ/);
  });
});
