import type pg from 'pg';
import { newsragError } from '../../errors.js';
import type { TableProblem } from './corrupt.js';
import { termCountsSql, tsvectorLiterals } from './lexemes.js';
import { qualified } from './location.js';

/** One step of the schema, applied once, in order, recorded in `schema_migrations`. */
export interface Migration {
  version: number;
  name: string;
  /** Statements, run in one transaction; `t(table)` gives the table's qualified name. */
  sql: (t: (table: string) => string) => string[];
  /** A data step in JavaScript, run after `sql` in the same transaction. */
  run?: (client: pg.ClientBase, t: (table: string) => string) => Promise<void>;
}

/** Chunks re-analysed per round trip when a migration recomputes the tsvectors. */
const RECOMPUTE_BATCH = 2000;

/**
 * Recomputes every chunk's `tsv` from its stored text and title with the embedded analyser
 * (lexemes.ts), in batches by key, then fills `terms` from the new tsvectors.
 */
async function recomputeLexemes(client: pg.ClientBase, t: (table: string) => string): Promise<void> {
  let after = 0;
  for (;;) {
    const r = await client.query<{ key: string; title: string; text: string }>(
      `SELECT key, title, text FROM ${t('chunks')} WHERE key > $1 ORDER BY key LIMIT ${RECOMPUTE_BATCH}`,
      [after],
    );
    if (r.rows.length === 0) break;
    const tsv = tsvectorLiterals(r.rows);
    await client.query(
      `UPDATE ${t('chunks')} c SET tsv = x.tsv FROM unnest($1::bigint[], $2::tsvector[]) AS x(key, tsv) WHERE c.key = x.key`,
      [r.rows.map((row) => row.key), tsv],
    );
    after = Number(r.rows[r.rows.length - 1]?.key);
  }
  await client.query(`INSERT INTO ${t('terms')} (term, text_df, title_df, any_df) ${termCountsSql(t('chunks'))}`);
}

/**
 * The schema, as the migrations that build it. Never edit a released step: add one.
 *
 * `chunks.embedding` is created without dimensions (`vector`): the first write fixes them
 * (`vector(d)`, which the HNSW index needs) with an ALTER on the then empty table.
 * In version 1 `tsv` was generated from the chunk's text and its article's title (copied into
 * the chunk row, as a generated column cannot read another table) by PostgreSQL's english
 * configuration; version 2 makes it a plain column the writer fills with the embedded
 * analyser's terms (lexemes.ts), and adds `terms`. `text_len`/`title_len` are the BM25 lengths
 * (distinct tokens, as MiniSearch counts them) and `meta.*_len_sum` their sums, for the mean lengths.
 * The filter fields of an article (source, collection, language, date) are columns of
 * `articles` so that filters are plain SQL; the record itself is kept whole in `record`.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'meta, articles, chunks with vector and tsvector, changes',
    sql: (t) => [
      `CREATE TABLE ${t('meta')} (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        fingerprint jsonb NOT NULL,
        fingerprint_id text NOT NULL,
        dimensions int NOT NULL,
        generation bigint NOT NULL,
        article_count bigint NOT NULL,
        chunk_count bigint NOT NULL,
        text_len_sum bigint NOT NULL DEFAULT 0,
        title_len_sum bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      `CREATE TABLE ${t('articles')} (
        key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text NOT NULL UNIQUE,
        record jsonb NOT NULL,
        chunk_count int NOT NULL,
        source text,
        collection text,
        language text,
        date text,
        generation bigint NOT NULL
      )`,
      `CREATE INDEX ON ${t('articles')} (source)`,
      `CREATE INDEX ON ${t('articles')} (collection)`,
      `CREATE INDEX ON ${t('articles')} (date)`,
      `CREATE TABLE ${t('chunks')} (
        key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article_key bigint NOT NULL REFERENCES ${t('articles')} (key) ON DELETE CASCADE,
        ordinal int NOT NULL,
        start_offset int NOT NULL,
        end_offset int NOT NULL,
        tokens int NOT NULL,
        text_len int NOT NULL,
        title_len int NOT NULL,
        title text NOT NULL,
        text text NOT NULL,
        embedding vector NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') || to_tsvector('english', text)
        ) STORED,
        UNIQUE (article_key, ordinal)
      )`,
      // Vectors inline in the row, never compressed or moved to TOAST (a 384-dim vector is
      // 1.5 KB, and a chunk row with its text passes TOAST's 2 KB threshold): an exact scan
      // or an HNSW build then reads each vector straight from the heap page.
      `ALTER TABLE ${t('chunks')} ALTER COLUMN embedding SET STORAGE PLAIN`,
      `CREATE INDEX chunks_tsv ON ${t('chunks')} USING gin (tsv)`,
      `CREATE TABLE ${t('changes')} (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        generation bigint NOT NULL,
        article_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('upsert', 'remove', 'signature')),
        at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX ON ${t('changes')} (generation)`,
    ],
  },
  {
    version: 2,
    name: "the embedded engine's analyser for tsv (recomputed in JS from each chunk's text) and a per-term statistics table",
    // The tsvector stops being generated by PostgreSQL's english configuration: the writer
    // stores the embedded analyser's terms (lexemes.ts), so both engines score the same terms.
    // `terms` holds each lexeme's document frequencies per field, kept by the writer in the
    // same transaction as the chunk rows, so IDF needs no scan.
    sql: (t) => [
      `ALTER TABLE ${t('chunks')} ALTER COLUMN tsv DROP EXPRESSION`,
      `CREATE TABLE ${t('terms')} (
        term text PRIMARY KEY,
        text_df int NOT NULL,
        title_df int NOT NULL,
        any_df int NOT NULL
      )`,
    ],
    run: async (client, t) => {
      await recomputeLexemes(client, t);
      await client.query(`ALTER TABLE ${t('chunks')} ALTER COLUMN tsv SET NOT NULL`);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/**
 * The columns each table of the index has after {@link MIGRATIONS} (a test holds this to the
 * migrated catalog): how an open tells the engine's tables from another program's of the same
 * name. Update it with every migration that changes a table the engine reads.
 */
export const TABLE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  meta: [
    'id',
    'fingerprint',
    'fingerprint_id',
    'dimensions',
    'generation',
    'article_count',
    'chunk_count',
    'text_len_sum',
    'title_len_sum',
    'created_at',
    'updated_at',
  ],
  articles: ['key', 'id', 'record', 'chunk_count', 'source', 'collection', 'language', 'date', 'generation'],
  chunks: [
    'key',
    'article_key',
    'ordinal',
    'start_offset',
    'end_offset',
    'tokens',
    'text_len',
    'title_len',
    'title',
    'text',
    'embedding',
    'tsv',
  ],
  changes: ['seq', 'generation', 'article_id', 'kind', 'at'],
  terms: ['term', 'text_df', 'title_df', 'any_df'],
};

/**
 * The tables of `schema` that are not the engine's: missing, or lacking columns it wrote
 * (another program's table of that name). One catalog query; empty when all are sound.
 */
export async function foreignTables(client: pg.ClientBase, schema: string): Promise<TableProblem[]> {
  const r = await client.query<{ table: string; columns: string[] }>(
    `SELECT c.relname AS table, array_agg(a.attname::text) AS columns
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname = ANY($2::text[])
     GROUP BY c.relname`,
    [schema, Object.keys(TABLE_COLUMNS)],
  );
  const held = new Map(r.rows.map((row) => [row.table, new Set(row.columns)]));
  const problems: TableProblem[] = [];
  for (const [table, columns] of Object.entries(TABLE_COLUMNS)) {
    const has = held.get(table);
    const name = qualified(schema, table);
    if (!has) {
      // The migrations are recorded as applied, so nothing would make it again.
      problems.push({ table: name, problem: 'the table is missing', fix: `drop schema "${schema}" and index again` });
      continue;
    }
    const missing = columns.filter((c) => !has.has(c));
    if (missing.length > 0) {
      problems.push({
        table: name,
        problem: `it is not newsrag's table (no column ${missing.join(', ')})`,
        // A database is shared with other programs: what the engine did not create, it does not drop.
        fix: `newsrag never drops a table it did not create: drop or rename ${name}, or put the index in another schema (?schema=…)`,
      });
    }
  }
  return problems;
}

/** The name of the HNSW index over `chunks.embedding`. */
export const HNSW_INDEX = 'chunks_embedding_hnsw';

/** The two-int advisory lock key space of newsrag (`pg_advisory_xact_lock(int4, int4)`). */
export const LOCK_CLASS = 0x6e657773; // "news"

/** The second key (hashed) of the writer lock of the index in `schema`: one writer per index. */
export function writerLockName(schema: string): string {
  return `writer:${schema}`;
}

/** The migrations not yet applied to `schema` (all of them for a new schema). */
export async function pendingMigrations(client: pg.ClientBase, schema: string): Promise<Migration[]> {
  const exists = await client.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'schema_migrations'`,
    [schema],
  );
  if (exists.rowCount === 0) return [...MIGRATIONS];
  const applied = await client.query<{ version: number }>(
    `SELECT version FROM ${qualified(schema, 'schema_migrations')} ORDER BY version`,
  );
  const done = new Set(applied.rows.map((r) => r.version));
  const newest = applied.rows.at(-1)?.version ?? 0;
  if (newest > SCHEMA_VERSION) {
    throw newsragError('INDEX_SCHEMA_NEWER', {
      index: `schema ${schema}`,
      file: 'schema_migrations',
      version: newest,
      supported: SCHEMA_VERSION,
    });
  }
  return MIGRATIONS.filter((m) => !done.has(m.version));
}

/**
 * Brings `schema` up to {@link SCHEMA_VERSION}: creates the vector extension and the schema
 * if missing, then applies the pending migrations in one transaction under a (blocking)
 * advisory lock, so processes opening a new index at once migrate it once. Returns the
 * versions applied (none when up to date).
 */
export async function migrate(client: pg.ClientBase, schema: string): Promise<number[]> {
  if ((await pendingMigrations(client, schema)).length === 0) return [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, `migrate:${schema}`]);
    // A migration may rewrite rows: no writer of the index runs meanwhile (it waits, then finds the schema migrated).
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, writerLockName(schema)]);
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${qualified(schema, 'schema_migrations')} (
      version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const pending = await pendingMigrations(client, schema);
    const t = (table: string) => qualified(schema, table);
    for (const m of pending) {
      for (const statement of m.sql(t)) await client.query(statement);
      await m.run?.(client, t);
      await client.query(`INSERT INTO ${t('schema_migrations')} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    await client.query('COMMIT');
    return pending.map((m) => m.version);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
