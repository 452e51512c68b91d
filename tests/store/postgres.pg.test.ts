/**
 * The Postgres + pgvector engine against a real server (the pinned pgserver wheel, started by
 * tests/support/postgres.ts): storage, writes, crash safety, filters, search. Runs in
 * `npm run test:pg` (CI installs the server first with `npm run pg:install`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ArticleRecord, type ArticleUpsert, NewsragError, readArticles, type SearchFilter } from '@newsrag/core';
import {
  allowedArticles,
  BM25_PLUS_DEFAULTS,
  KILL_POINT_ENV,
  KILL_POINT_MARKER,
  PAUSE_POINT_ENV,
  PAUSE_POINT_MARKER,
  TABLE_COLUMNS,
} from '@newsrag/core/internals';
import {
  DEFAULT_RECALL,
  efSearchFor,
  filterCondition,
  PostgresIndexStore,
  type PostgresSnapshot,
} from '@newsrag/core/postgres';
import { prng, REPO_ROOT, randomUnitVectors, SEED_ARTICLES } from '@newsrag/test-support';
import { syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgServer, startPostgres } from '../support/postgres.js';
import { article, articleUpdate, DIMENSIONS, rareWord } from './fixtures.js';
import { startWriter, waitFor } from './writer-process.js';

const WORKER = path.join(REPO_ROOT, 'tests', 'store', 'pg-write-worker.ts');

let server: PgServer;
let n = 0;
const stores: PostgresIndexStore[] = [];
const snapshots: PostgresSnapshot[] = [];
/** A store on a fresh schema of the shared server. */
function freshStore(options: ConstructorParameters<typeof PostgresIndexStore>[1] = {}): PostgresIndexStore {
  const store = new PostgresIndexStore(server.url({ schema: `idx_${++n}` }), options);
  stores.push(store);
  return store;
}
async function snap(store: PostgresIndexStore): Promise<PostgresSnapshot> {
  const s = await store.snapshot();
  if (!s) throw new Error('no index');
  snapshots.push(s);
  return s;
}

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  for (const s of snapshots) await s.close();
  for (const s of stores) await s.close();
  await server?.stop();
});

/** What a snapshot holds, comparable across snapshots: per article its record and chunk texts. */
async function contents(s: PostgresSnapshot) {
  const out: Record<string, { hash: string; texts: string[] }> = {};
  for (const a of await s.articles()) {
    const chunks = await s.fetch(await s.chunkKeys(a.id));
    out[a.id] = { hash: a.hash, texts: chunks.map((c) => c.chunk.text) };
  }
  return out;
}
function expectedContents(upserts: ArticleUpsert[]) {
  const out: Record<string, { hash: string; texts: string[] }> = {};
  for (const u of upserts) out[u.record.id] = { hash: u.record.hash, texts: u.chunks.map((c) => c.text) };
  return out;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<NewsragError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NewsragError);
  expect((error as NewsragError).code).toBe(code);
  return error as NewsragError;
}

describe('Postgres store: storage and writes', () => {
  it('round trip: records, chunks, vectors (float32 exact), lexical and dense search', async () => {
    const store = freshStore();
    const update = articleUpdate(['a1', 'b22', 'c333']);
    const result = await store.commit(update);
    expect(result).toMatchObject({ generation: 1, articleCount: 3 });
    const s = await snap(store);
    expect(s.manifest).toMatchObject({
      generation: 1,
      articleCount: 3,
      dimensions: DIMENSIONS,
      fingerprintId: 'synthetic-fp',
    });
    expect(s.chunkCount).toBe(update.upserts.reduce((t, u) => t + u.chunks.length, 0));
    for (const u of update.upserts) expect(await s.article(u.record.id)).toEqual(u.record);
    expect(await contents(s)).toEqual(expectedContents(update.upserts));

    const b = update.upserts[1] as ArticleUpsert;
    const keys = await s.chunkKeys('b22');
    const fetched = await s.fetch(keys, { vectors: true });
    expect(fetched.map((f) => f.chunk)).toEqual(b.chunks);
    expect(fetched.map((f) => f.title)).toEqual(b.chunks.map(() => b.record.meta.title));
    for (let i = 0; i < fetched.length; i++) {
      expect(fetched[i]?.vector).toEqual(b.vectors.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS));
    }
    // A row's own vector is its nearest neighbour, cosine 1.
    const top = await s.denseSearch(b.vectors.subarray(DIMENSIONS, 2 * DIMENSIONS), 3);
    expect(top[0]?.key).toBe(keys[1]);
    expect(top[0]?.score).toBeCloseTo(1, 5);
    // The rare word injected into an article's first chunk finds that chunk first.
    const lex = await s.lexicalSearch(`what about ${rareWord('c333')}?`, 5);
    expect(lex[0]?.key).toBe((await s.chunkKeys('c333'))[0]);
    expect(await s.documentFrequency(rareWord('c333'))).toBe(1);
    // A query of stop words alone matches nothing.
    expect(await s.lexicalSearch('the and of', 5)).toEqual([]);
    // The title is searchable too (weighted A), for every chunk of its article.
    const byTitle = await s.lexicalSearch('Title of a1 v0', 50);
    expect(byTitle.length).toBeGreaterThanOrEqual((await s.chunkKeys('a1')).length);
    expect(await store.check()).toMatchObject({ ok: true, problems: [], articleCount: 3 });
    expect(await store.sizeOnDisk()).toBeGreaterThan(0);
    expect(await store.committedGeneration()).toBe(1);
  });

  it('migrations are recorded once; a second store on the same schema applies none', async () => {
    const store = freshStore();
    expect(await store.ensureSchema()).toEqual([1, 2]);
    const again = new PostgresIndexStore(store.where.connectionString.replace(/$/, `&schema=${store.where.schema}`));
    stores.push(again);
    expect(await again.ensureSchema()).toEqual([]);
    expect(await again.snapshot()).toBeNull();
    expect(await again.committedGeneration()).toBeNull();
  });

  it('incremental update and removal touch only what they name; an open snapshot keeps its state', async () => {
    const store = freshStore();
    const first = articleUpdate(['a1', 'b22', 'c333']);
    await store.commit(first);
    const before = await snap(store);
    const b1 = article('b22', 1);
    const d = article('d4444');
    const second = syntheticUpdate(DIMENSIONS, [b1, d], ['c333', 'never-indexed'], 'synthetic-fp', 'test/synthetic');
    const result = await store.commit(second);
    expect(result.generation).toBe(2);
    const after = await snap(store);
    const [a] = first.upserts;
    expect(await contents(after)).toEqual(expectedContents([a as ArticleUpsert, b1, d]));
    expect(after.chunkCount).toBe([a as ArticleUpsert, b1, d].reduce((t, u) => t + u.chunks.length, 0));
    expect(await after.lexicalSearch(rareWord('c333'), 5)).toEqual([]);
    // The untouched article kept its rows (same keys): nothing was rewritten wholesale.
    expect(await after.chunkKeys('a1')).toEqual(await before.chunkKeys('a1'));
    // The snapshot opened before the write still sees generation 1, whole.
    expect(before.generation).toBe(1);
    expect(await contents(before)).toEqual(expectedContents(first.upserts));
    expect(await store.check()).toMatchObject({ ok: true });

    const c = new pg.Client(server.config);
    await c.connect();
    const log = await c.query(`SELECT generation, article_id, kind FROM "${store.where.schema}".changes ORDER BY seq`);
    await c.end();
    expect(log.rows.filter((r) => Number(r.generation) === 2).map((r) => [r.article_id, r.kind])).toEqual([
      ['b22', 'upsert'],
      ['d4444', 'upsert'],
      ['c333', 'remove'],
    ]);
  });

  it('refuses vectors of another model (INDEX_MODEL_MISMATCH) unless replacing; an open can demand a model', async () => {
    const store = freshStore();
    await store.commit(articleUpdate(['a1']));
    const error = await expectCode(store.commit(articleUpdate(['e5'], [], 'other-fp')), 'INDEX_MODEL_MISMATCH');
    expect(error.message).toContain('other-fp');
    expect((await snap(store)).generation).toBe(1);
    const replaced = await store.commit(articleUpdate(['e5'], [], 'other-fp'), { replace: true });
    expect(replaced).toMatchObject({ generation: 2, articleCount: 1 });
    const s = await snap(store);
    expect((await s.articles()).map((r) => r.id)).toEqual(['e5']);
    expect(s.manifest.fingerprintId).toBe('other-fp');
    const demanding = new PostgresIndexStore(server.url({ schema: store.where.schema }), {
      expectFingerprintId: 'synthetic-fp',
    });
    stores.push(demanding);
    await expectCode(demanding.snapshot(), 'INDEX_MODEL_MISMATCH');
  });

  it('a replace by a model of other dimensions retypes the vector column', async () => {
    const store = freshStore();
    await store.commit(articleUpdate(['a1']));
    const wide = syntheticUpdate(32, [], [], 'wide-fp', 'test/wide');
    const rng = prng(5);
    const { syntheticArticle } = await import('@newsrag/test-support/synthetic-index');
    wide.upserts.push(syntheticArticle(rng, 'w1', { chunks: 2, dimensions: 32, title: 'Wide' }));
    await store.commit(wide, { replace: true });
    const s = await snap(store);
    expect(s.manifest.dimensions).toBe(32);
    expect((await s.fetch(await s.chunkKeys('w1'), { vectors: true }))[0]?.vector?.length).toBe(32);
  });

  it('a second writer is refused at once with INDEX_LOCKED while one is inside its transaction', async () => {
    const store = freshStore();
    await store.commit(articleUpdate(['a1']));
    const release = path.join(mkdtempSync(path.join(tmpdir(), 'newsrag-pg-pause-')), 'go');
    const first = startWriter(WORKER, [server.url({ schema: store.where.schema }), 'b22'], {
      [PAUSE_POINT_ENV]: `locked:${release}`,
    });
    await waitFor(first, `${PAUSE_POINT_MARKER} locked`);
    const started = Date.now();
    const error = await expectCode(store.commit(articleUpdate(['c333'])), 'INDEX_LOCKED');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.message).toMatch(/being written by another newsrag process/);
    // Readers are not blocked by the writer either.
    expect((await snap(store)).generation).toBe(1);
    writeFileSync(release, '');
    expect(await first.exited).toBe(0);
    expect((await store.commit(articleUpdate(['c333']))).generation).toBe(3);
    rmSync(path.dirname(release), { recursive: true, force: true });
  });

  for (const point of ['locked', 'mid-transaction', 'before-commit'] as const) {
    it(`kill -9 of a writer at ${point} leaves the last commit, and the next writer is not blocked`, async () => {
      const store = freshStore();
      const base = articleUpdate(['a1', 'b22']);
      await store.commit(base);
      const child = startWriter(WORKER, [server.url({ schema: store.where.schema }), 'x7', 'y88', 'z999'], {
        [KILL_POINT_ENV]: point,
      });
      await waitFor(child, `${KILL_POINT_MARKER} ${point}`);
      child.process.kill('SIGKILL');
      await child.exited;
      const s = await snap(store);
      expect(s.generation).toBe(1);
      expect(await contents(s)).toEqual(expectedContents(base.upserts));
      expect(await store.check()).toMatchObject({ ok: true, articleCount: 2 });
      // The dead writer's backend rolled back and released the advisory lock with its session.
      let result = null;
      for (let tries = 0; result === null; tries++) {
        result = await store.commit(articleUpdate(['x7'])).catch((e: unknown) => {
          if (tries < 50 && e instanceof NewsragError && e.code === 'INDEX_LOCKED') return null;
          throw e;
        });
        if (result === null) await new Promise((r) => setTimeout(r, 100));
      }
      expect(result.generation).toBe(2);
    });
  }
});

/** The seed articles, and variants of them under collections, languages, sources and dates. */
async function seedRecords(): Promise<ArticleRecord[]> {
  const { articles } = await readArticles([SEED_ARTICLES], { root: SEED_ARTICLES });
  expect(articles.length).toBeGreaterThanOrEqual(3);
  const base = articles.map(
    (a): ArticleRecord => ({
      id: a.id,
      path: a.path,
      hash: a.hash,
      meta: a.meta,
      length: a.text.length,
      chunkCount: 1,
    }),
  );
  const variants: ArticleRecord[] = [];
  base.forEach((r, i) => {
    variants.push({ ...r, id: `bbc/${r.id}`, meta: { ...r.meta, language: 'en', source: 'BBC' } });
    variants.push({ ...r, id: `wire/${r.id}`, meta: { ...r.meta, language: 'fr', date: undefined } });
    variants.push({
      ...r,
      id: `misc/${r.id}`,
      meta: { ...r.meta, collection: 'labelled', date: `2024-0${i + 1}-15`, source: undefined },
    });
  });
  return [...base, ...variants].map((r) => JSON.parse(JSON.stringify(r)) as ArticleRecord);
}

/** Runs `sql` on the shared server. */
async function onServer(sql: string): Promise<void> {
  const c = new pg.Client(server.config);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

// The conformance suite (postgres.conformance.pg.test.ts) damages an index in four ways; these are the rest.
describe('Postgres store: damage', () => {
  it('knows the columns of every table the migrations make (how it tells its tables from another program’s)', async () => {
    const store = freshStore();
    await store.ensureSchema();
    const c = new pg.Client(server.config);
    await c.connect();
    const r = await c.query<{ table: string; columns: string[] }>(
      `SELECT table_name AS table, array_agg(column_name::text ORDER BY ordinal_position) AS columns
       FROM information_schema.columns WHERE table_schema = $1 AND table_name <> 'schema_migrations' GROUP BY table_name`,
      [store.where.schema],
    );
    await c.end();
    expect(Object.fromEntries(r.rows.map((row) => [row.table, row.columns]))).toEqual(TABLE_COLUMNS);
  });

  it('an article whose every chunk row is gone is INDEX_CORRUPT when read, not left out of the copy', async () => {
    const store = freshStore();
    await store.commit(articleUpdate(['a1', 'b22']));
    const s = store.where.schema;
    await onServer(`DELETE FROM "${s}".chunks WHERE article_key = (SELECT key FROM "${s}".articles WHERE id = 'b22')`);
    const reader = await store.open();
    if (!reader) throw new Error('no index');
    try {
      expect((await reader.contents(['a1'])).map((u) => u.record.id)).toEqual(['a1']);
      const error = await expectCode(reader.contents(['a1', 'b22']), 'INDEX_CORRUPT');
      expect(error.message).toContain(`"${s}"."chunks"`);
      expect(error.message).toContain('article b22 has');
    } finally {
      reader.close();
    }
    expect((await store.check()).problems.join('\n')).toContain(`"${s}"."chunks": article b22 states`);
  });

  it('a table dropped behind its back is INDEX_CORRUPT naming it, on open, on write and in the check', async () => {
    const store = freshStore();
    await store.commit(articleUpdate(['a1']));
    const s = store.where.schema;
    await onServer(`DROP TABLE "${s}".changes`);
    for (const attempt of [store.open(), store.commit(articleUpdate(['b22']), { replace: true })]) {
      const error = await expectCode(attempt, 'INDEX_CORRUPT');
      expect(error.message).toContain(`"${s}"."changes"`);
      expect(error.message).toContain(`drop schema "${s}" and index again`);
    }
    expect(await store.check()).toMatchObject({ ok: false, problems: [`"${s}"."changes": the table is missing`] });
  });
});

describe('Postgres store: filters and search', () => {
  it('lexical BM25+ in SQL scores as bm25-plus.ts does (idf, tf, length norm, matched-terms factor)', async () => {
    const texts = ['zebra zebra lion', 'zebra tiger tiger bear', 'lion bear'];
    const rng = prng(2);
    const upserts: ArticleUpsert[] = texts.map((text, i) => ({
      record: { id: `t${i}`, path: `t${i}`, hash: `h${i}`, meta: {}, length: text.length, chunkCount: 1 },
      chunks: [{ id: `t${i}#0`, articleId: `t${i}`, ordinal: 0, start: 0, end: text.length, text, tokens: 4 }],
      vectors: randomUnitVectors(rng, 1, DIMENSIONS),
    }));
    const store = freshStore();
    await store.commit(syntheticUpdate(DIMENSIONS, upserts, [], 'synthetic-fp', 'test/synthetic'));
    const s = await snap(store);
    const { k, b, d } = BM25_PLUS_DEFAULTS;
    const lens = [2, 3, 2]; // distinct tokens
    const avg = (2 + 3 + 2) / 3;
    const idf = (df: number) => Math.log(1 + (3 - df + 0.5) / (df + 0.5));
    const term = (tf: number, len: number, df: number) =>
      idf(df) * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * len) / avg)));
    const keyOf = async (i: number) => (await s.chunkKeys(`t${i}`))[0];
    const zebra = await s.lexicalSearch('zebra', 10);
    expect(zebra.map((h) => h.key)).toEqual([await keyOf(0), await keyOf(1)]);
    expect(zebra[0]?.score).toBeCloseTo(term(2, lens[0] as number, 2), 9);
    expect(zebra[1]?.score).toBeCloseTo(term(1, lens[1] as number, 2), 9);
    // Two terms matched: their sum, times 2.
    const both = await s.lexicalSearch('tiger bear', 10);
    expect(both[0]?.key).toBe(await keyOf(1));
    expect(both[0]?.score).toBeCloseTo((term(2, 3, 1) + term(1, 3, 2)) * 2, 9);
    expect(both[1]?.score).toBeCloseTo(term(1, 2, 2), 9);
  });

  it('filters in SQL let through exactly what the in-process filter does, on the seed articles', async () => {
    const records = await seedRecords();
    const rng = prng(11);
    const upserts: ArticleUpsert[] = records.map((record) => ({
      record,
      chunks: [
        { id: `${record.id}#0`, articleId: record.id, ordinal: 0, start: 0, end: 10, text: 'news text', tokens: 3 },
      ],
      vectors: randomUnitVectors(rng, 1, DIMENSIONS),
    }));
    const store = freshStore();
    await store.commit(syntheticUpdate(DIMENSIONS, upserts, [], 'synthetic-fp', 'test/synthetic'));
    const s = await snap(store);
    const dates = records
      .map((r) => r.meta.date)
      .filter((d): d is string => d !== undefined)
      .sort();
    const sources = [...new Set(records.map((r) => r.meta.source).filter((x): x is string => x !== undefined))];
    const filters: SearchFilter[] = [
      {},
      { articleIds: [records[0]?.id as string, `wire/${records[1]?.id}`, 'nope'] },
      { articleIds: [] },
      { sources },
      { sources: ['BBC'] },
      { sources: [] },
      { collections: ['bbc'] },
      { collections: ['bbc', 'labelled'] },
      { collections: [] },
      { languages: ['en'] },
      { languages: ['FR'] },
      { languages: [] },
      { dateFrom: dates[1] },
      { dateTo: dates[2] },
      { dateFrom: dates[0], dateTo: dates[0] },
      { collections: ['wire', 'misc', 'labelled'], languages: ['fr'], sources },
      { collections: ['labelled'], dateFrom: '2024-02-01', dateTo: '2024-12-31' },
    ];
    const c = new pg.Client(server.config);
    await c.connect();
    try {
      for (const filter of filters) {
        const mask = allowedArticles(records, filter);
        const expected = records
          .filter((_, i) => !mask || mask[i] === 1)
          .map((r) => r.id)
          .sort();
        const cond = filterCondition(filter, 1);
        const rows = await c.query<{ id: string }>(
          `SELECT a.id FROM "${store.where.schema}".articles a ${cond ? `WHERE ${cond.sql}` : ''} ORDER BY a.id`,
          cond?.params ?? [],
        );
        expect(rows.rows.map((r) => r.id).sort(), JSON.stringify(filter)).toEqual(expected);
        // And the searches apply it: every hit is of an allowed article, and all allowed come back.
        const dense = await s.denseSearch(randomUnitVectors(rng, 1, DIMENSIONS), 100, { filter });
        const lexical = await s.lexicalSearch('news', 100, { filter });
        for (const hits of [dense, lexical]) {
          const ids = (await s.fetch(hits.map((h) => h.key))).map((f) => f.chunk.articleId).sort();
          expect(ids, JSON.stringify(filter)).toEqual(expected);
        }
      }
    } finally {
      await c.end();
    }
  });

  it('HNSW (built past the threshold) finds ≥ 0.95 of the exact top-10, filtered or not', async () => {
    // Clustered unit vectors, like the store bench's synthetic data: a few hundred centres, points near them.
    const rng = prng(3);
    const d = 64;
    const centres = randomUnitVectors(rng, 50, d);
    const upserts: ArticleUpsert[] = [];
    const perArticle = 10;
    for (let a = 0; a < 400; a++) {
      const vectors = new Float32Array(perArticle * d);
      const noise = randomUnitVectors(rng, perArticle, d);
      for (let i = 0; i < perArticle; i++) {
        const c = Math.floor(rng() * 50);
        let norm = 0;
        for (let j = 0; j < d; j++) {
          const v = (centres[c * d + j] as number) + 0.6 * (noise[i * d + j] as number);
          vectors[i * d + j] = v;
          norm += v * v;
        }
        for (let j = 0; j < d; j++) vectors[i * d + j] = (vectors[i * d + j] as number) / Math.sqrt(norm);
      }
      const id = `s${a % 4}/a${a}`;
      upserts.push({
        record: { id, path: id, hash: `h${a}`, length: 1000, chunkCount: perArticle, meta: { source: `src${a % 4}` } },
        chunks: Array.from({ length: perArticle }, (_, i) => ({
          id: `${id}#${i}`,
          articleId: id,
          ordinal: i,
          start: i * 100,
          end: i * 100 + 90,
          text: `chunk ${i} of article ${a}`,
          tokens: 8,
        })),
        vectors,
      });
    }
    const store = freshStore({ hnswThreshold: 3_000 });
    const half = syntheticUpdate(d, upserts.slice(0, 200), [], 'synthetic-fp', 'test/synthetic');
    expect((await store.commit(half)).builtHnsw).toBe(false);
    const rest = syntheticUpdate(d, upserts.slice(200), [], 'synthetic-fp', 'test/synthetic');
    expect((await store.commit(rest)).builtHnsw).toBe(true);
    const s = await snap(store);
    expect(s.hasHnsw).toBe(true);
    // The planner answers the top-k query shape from the HNSW index (not a scan).
    const c = new pg.Client(server.config);
    await c.connect();
    const plan = await c.query(
      `EXPLAIN SELECT key FROM "${store.where.schema}".chunks ORDER BY embedding <=> $1 LIMIT 10`,
      [`[${Array.from({ length: d }, () => 0.125).join(',')}]`],
    );
    await c.end();
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('chunks_embedding_hnsw');
    // Queries near the data, as questions are near their passages: a stored vector plus noise.
    const queries = new Float32Array(40 * d);
    const qNoise = randomUnitVectors(rng, 40, d);
    for (let q = 0; q < 40; q++) {
      const u = upserts[Math.floor(rng() * upserts.length)] as ArticleUpsert;
      let norm = 0;
      for (let j = 0; j < d; j++) {
        const v = (u.vectors[j] as number) + 0.5 * (qNoise[q * d + j] as number);
        queries[q * d + j] = v;
        norm += v * v;
      }
      for (let j = 0; j < d; j++) queries[q * d + j] = (queries[q * d + j] as number) / Math.sqrt(norm);
    }
    for (const filter of [undefined, { sources: ['src1', 'src2', 'src3'] }, { sources: ['src0'] }]) {
      let found = 0;
      for (let q = 0; q < 40; q++) {
        const query = queries.subarray(q * d, (q + 1) * d);
        const exact = await s.denseSearch(query, 10, { exact: true, filter });
        // exactBelow 0: the filtered searches go through HNSW too (widened ef_search), not the exact scan.
        const approx = await s.denseSearch(query, 10, { filter, exactBelow: 0 });
        expect(approx).toHaveLength(10);
        const want = new Set(exact.map((h) => h.key));
        found += approx.filter((h) => want.has(h.key)).length;
        // Exact scores are sorted best first.
        for (let i = 1; i < exact.length; i++)
          expect(exact[i - 1]?.score).toBeGreaterThanOrEqual(exact[i]?.score as number);
      }
      expect(found / 400, JSON.stringify(filter)).toBeGreaterThanOrEqual(0.95);
    }
    // The recall wanted comes from the location (or the options), and sets each query's ef_search for its k.
    expect(s.efSearch(50)).toBe(efSearchFor(DEFAULT_RECALL, 50));
    const strict = new PostgresIndexStore(server.url({ schema: store.where.schema, recall: '0.99' }));
    stores.push(strict);
    const fixed = new PostgresIndexStore(server.url({ schema: store.where.schema }), { dense: { efSearch: 321 } });
    stores.push(fixed);
    const ss = await snap(strict);
    const fs = await snap(fixed);
    expect(ss.efSearch(50)).toBe(efSearchFor(0.99, 50));
    expect(ss.efSearch(50)).toBeGreaterThan(s.efSearch(50));
    expect(fs.efSearch(10)).toBe(321);
    expect(fs.efSearch(10, { recall: 0.9 })).toBe(efSearchFor(0.9, 10));
    for (let q = 0; q < 5; q++) {
      const query = queries.subarray(q * d, (q + 1) * d);
      expect(await ss.denseSearch(query, 10)).toHaveLength(10);
    }
  });
});
