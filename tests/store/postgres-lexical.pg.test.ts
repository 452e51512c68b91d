/**
 * Lexical search on PostgreSQL equals the embedded engine's: the same analyser (the writer
 * stores the embedded engine's terms in the tsvector), the same BM25+, so the same top k and
 * scores within 1e-6, on the seeds and on BBC + seeds, with candidate pruning at work. The
 * Postgres index is `copyIndex`'s copy of the embedded one (the very same chunks). Also: an
 * index of schema version 1 (PostgreSQL's english tsvectors, no term table) is migrated on
 * open to the same state, and `migrate --dry-run` shows the step first.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  copyIndex,
  type IndexReader,
  type IndexStore,
  openKnowledgeBase,
  readQuestions,
  type SearchFilter,
} from '@newsrag/core';
import { openIndexStore } from '@newsrag/core/internals';
import { PostgresIndexStore, type PostgresSnapshot } from '@newsrag/core/postgres';
import { BBC_CORPUS, BBC_DEV, CLI, requireShared, SEED_ARTICLES, SEED_DEV, TIME_DEV } from '@newsrag/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgServer, startPostgres } from '../support/postgres.js';

const K = 50;
let server: PgServer;
let work: string;
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  server = await startPostgres();
  work = await mkdtemp(path.join(tmpdir(), 'newsrag-pg-lexical-'));
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** An embedded (SQLite) index of `sources` with the stand-in model, and its copy on Postgres in `schema`. */
async function bothEngines(
  name: string,
  sources: string[],
): Promise<{ embedded: IndexReader; postgres: PostgresIndexStore; snapshot: PostgresSnapshot }> {
  const dir = path.join(work, name);
  const kb = await openKnowledgeBase({ indexDir: dir, model: 'standin' });
  await kb.index(sources);
  await kb.close();
  const source: IndexStore = await openIndexStore(dir);
  const postgres = new PostgresIndexStore(server.url({ schema: name }));
  closers.push(() => postgres.close());
  await copyIndex(source, postgres);
  const embedded = await source.open();
  if (!embedded) throw new Error('no embedded index');
  closers.push(() => embedded.close?.());
  const snapshot = await postgres.snapshot();
  if (!snapshot) throw new Error('no Postgres index');
  closers.push(() => snapshot.close());
  return { embedded, postgres, snapshot };
}

interface Ranked {
  id: string;
  score: number;
}

function embeddedRanking(reader: IndexReader, query: string, filter?: SearchFilter): Ranked[] {
  return reader.lexicalSearch(query, K, filter).map((h) => ({ id: reader.chunk(h.row).id, score: h.score }));
}

async function postgresRanking(
  s: PostgresSnapshot,
  query: string,
  filter?: SearchFilter,
): Promise<{ ranked: Ranked[]; pruned: boolean }> {
  const plan = await s.lexicalPlan(query, K, filter ? { filter } : {});
  const ids = new Map((await s.fetch(plan.hits.map((h) => h.key))).map((f) => [f.key, f.chunk.id]));
  return {
    ranked: plan.hits.map((h) => ({ id: ids.get(h.key) as string, score: h.score })),
    pruned: plan.essential < plan.parts,
  };
}

/**
 * The same scores rank by rank (within 1e-6), and the same chunks above the lowest score
 * kept: chunks of equal score may come in another order, and a tie at the cut may keep others.
 */
function expectSame(query: string, x: Ranked[], y: Ranked[]): void {
  expect(
    y.map((r) => r.score),
    query,
  ).toEqual(x.map((r) => expect.closeTo(r.score, 6)));
  const floor = x.at(-1)?.score ?? 0;
  const above = (rs: Ranked[]) =>
    rs
      .filter((r) => r.score > floor + 1e-6)
      .map((r) => r.id)
      .sort();
  expect(above(y), query).toEqual(above(x));
}

/** Holds every query's ranking (and its words' document frequencies) equal; returns how many were pruned. */
async function expectParity(
  embedded: IndexReader,
  snapshot: PostgresSnapshot,
  queries: readonly string[],
  filter?: SearchFilter,
): Promise<number> {
  let pruned = 0;
  for (const query of queries) {
    const x = embeddedRanking(embedded, query, filter);
    const y = await postgresRanking(snapshot, query, filter);
    expectSame(query, x, y.ranked);
    if (y.pruned) pruned++;
  }
  const words = [...new Set(queries.flatMap((q) => q.split(/\s+/)))].slice(0, 300);
  const frequencies = await snapshot.documentFrequencies(words);
  const expected = embedded.documentFrequency?.bind(embedded);
  if (!expected) throw new Error('the embedded reader counts no document frequencies');
  for (const w of words) expect(frequencies.get(w), w).toBe(expected(w));
  return pruned;
}

const EXTRA = [
  'government government policy',
  'Putin Putin Kim gifts',
  "covid-19 U.S. it's co-operation",
  'the and of',
  'zzzz-nothing-matches',
];

describe('lexical search on PostgreSQL equals the embedded engine', () => {
  it('on the seeds: the same top 50 and scores for every seed and time dev question, filtered or not', async () => {
    const { embedded, postgres, snapshot } = await bothEngines('seeds', [SEED_ARTICLES]);
    const questions = [...(await readQuestions(SEED_DEV)), ...(await readQuestions(TIME_DEV))].map((q) => q.question);
    expect(questions.length).toBeGreaterThan(20);
    // The seeds are a few chunks, fewer than k: nothing can be pruned here (BBC below prunes).
    await expectParity(embedded, snapshot, [...questions, ...EXTRA]);
    const some = embedded
      .articles()
      .slice(0, 5)
      .map((a) => a.id);
    await expectParity(embedded, snapshot, questions.slice(0, 10), { articleIds: some });
    expect(await postgres.check()).toMatchObject({ ok: true, problems: [] });
  });

  it('on BBC + seeds: the same top 50 and scores for every BBC and seed dev question', async () => {
    requireShared();
    const { embedded, postgres, snapshot } = await bothEngines('bbc', [BBC_CORPUS, SEED_ARTICLES]);
    expect(embedded.articleCount).toBeGreaterThan(2000);
    const questions = [...(await readQuestions(BBC_DEV)), ...(await readQuestions(SEED_DEV))].map((q) => q.question);
    const pruned = await expectParity(embedded, snapshot, questions);
    // Most questions left their common terms' own matches unscored (59 of 67 when written), and the top 50 stayed exact.
    expect(pruned).toBeGreaterThan(questions.length / 2);
    expect(await postgres.check()).toMatchObject({ ok: true, problems: [] });
  });

  it('an index of schema version 1 is migrated on open: tsvectors recomputed from the text, term statistics filled', async () => {
    const url = server.url({ schema: 'seeds_v1' });
    const current = new PostgresIndexStore(url);
    await copyIndex(await openIndexStore(path.join(work, 'seeds')), current);
    const c = new pg.Client(server.config);
    await c.connect();
    closers.push(() => c.end());
    const digest = async () =>
      (await c.query(`SELECT md5(string_agg(tsv::text, '|' ORDER BY key)) AS d FROM seeds_v1.chunks`)).rows[0].d;
    const queries = (await readQuestions(SEED_DEV)).map((q) => q.question);
    const expected: Ranked[][] = [];
    const before = await current.snapshot();
    if (!before) throw new Error('no index');
    for (const q of queries) expected.push((await postgresRanking(before, q)).ranked);
    await before.close();
    await current.close();
    const analysed = await digest();
    // Version 1 as it was: tsv generated by PostgreSQL's english configuration, no terms table.
    await c.query(`BEGIN;
      DROP TABLE seeds_v1.terms;
      ALTER TABLE seeds_v1.chunks DROP COLUMN tsv;
      ALTER TABLE seeds_v1.chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') || to_tsvector('english', text)) STORED;
      CREATE INDEX chunks_tsv ON seeds_v1.chunks USING gin (tsv);
      DELETE FROM seeds_v1.schema_migrations WHERE version = 2;
      COMMIT`);
    expect(await digest()).not.toBe(analysed);

    const run = promisify(execFile);
    const dry = await run(process.execPath, [CLI, '--index', url, 'migrate', '--dry-run']);
    expect(dry.stdout).toContain('would apply 2:');
    expect(await digest()).not.toBe(analysed);

    const store = new PostgresIndexStore(url);
    closers.push(() => store.close());
    expect(await store.ensureSchema()).toEqual([2]);
    expect(await digest()).toBe(analysed);
    expect(await store.check()).toMatchObject({ ok: true, problems: [] });
    const after = await store.snapshot();
    if (!after) throw new Error('no index');
    closers.push(() => after.close());
    for (const [i, q] of queries.entries())
      expectSame(q, expected[i] as Ranked[], (await postgresRanking(after, q)).ranked);
  });

  it("check() names a tsvector or a term count written behind the engine's back", async () => {
    const store = new PostgresIndexStore(server.url({ schema: 'seeds_v1' }));
    closers.push(() => store.close());
    const c = new pg.Client(server.config);
    await c.connect();
    closers.push(() => c.end());
    await c.query(`UPDATE seeds_v1.terms SET any_df = any_df + 1 WHERE term = (SELECT min(term) FROM seeds_v1.terms)`);
    await c.query(
      `UPDATE seeds_v1.chunks SET tsv = tsv || 'intruder'::tsvector WHERE key = (SELECT min(key) FROM seeds_v1.chunks)`,
    );
    const report = await store.check();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.stringMatching(/^"seeds_v1"\."chunks": 1 tsvectors differ from the analysis/),
      // The changed row as held and as counted, and the intruder's lexeme.
      expect.stringMatching(/^"seeds_v1"\."terms": 3 rows differ/),
    ]);
  });
});
