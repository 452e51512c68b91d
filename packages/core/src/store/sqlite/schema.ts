import type Database from 'better-sqlite3';
import { VECTOR_TABLES_SQL } from './quantized.js';

/** The SQLite engine's file inside the index folder. Its presence selects the engine. */
export const SQLITE_FILE = 'index.sqlite';

/**
 * The SQLite schema version this code writes (`meta.schemaVersion`). Version 2 replaced the
 * FTS5 tables with newsrag's own postings (lexical.ts) and moved the vectors out of
 * `articles` into `vectors` and `quantized` (quantized.ts); a version-1 file is upgraded
 * on open, in one transaction, without re-embedding. Version 3 added each big segment's skip
 * data (`postings.skips`) and the per-term document frequencies (`term_stats`), for MaxScore
 * (bm25-maxscore.ts); a version-2 file gets them on open, computed from its postings.
 */
export const SQLITE_SCHEMA_VERSION = 3;

/**
 * A chunk's rowid is `article seq × 2^20 + ordinal`, so rows of an article are contiguous
 * in rowid order and a chunk maps back to (article, ordinal) without a lookup table.
 */
export const ORDINAL_BITS = 2 ** 20;

/**
 * Tables: `meta` (key/value: schemaVersion, fingerprint, dates, generation, the lexical
 * index's dead-chunk count, logStart), `articles` (one row per article: its near-duplicate
 * signature as JSON, NULL for none, and each chunk's BM25 field lengths, text then title, as
 * little-endian uint32 pairs), `vectors` and `quantized` (each article's vectors, exact and
 * int8: see quantized.ts), `chunks` (text and offsets), `changes` (which article seqs each
 * generation touched: the log a reader refreshes from), and the lexical index ({@link LEXICAL_SQL}).
 */
export const SCHEMA_SQL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE articles (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  hash TEXT NOT NULL,
  meta TEXT NOT NULL,
  length INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL,
  signature TEXT,
  field_lengths BLOB NOT NULL
) STRICT;
CREATE TABLE chunks (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,
  tokens INTEGER NOT NULL,
  text TEXT NOT NULL
) STRICT;
CREATE TABLE changes (generation INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (generation, seq)) STRICT, WITHOUT ROWID;
${VECTOR_TABLES_SQL}`;

/**
 * Per term (schema 3; term-stats.ts): the live chunk rows holding it in their text, in their
 * title, and in both, kept by the writer in the transaction that changes the postings.
 */
export const TERM_STATS_SQL = `
CREATE TABLE term_stats (term TEXT PRIMARY KEY, text_rows INTEGER NOT NULL, title_rows INTEGER NOT NULL, both_rows INTEGER NOT NULL) STRICT, WITHOUT ROWID;
`;

/**
 * The lexical index (schema 3; see lexical.ts): `postings`, one row per segment of a term's
 * postings (a varint BLOB, postings.ts, with skip data when big), found by term; `lexical_docs`, per live article seq,
 * the generation its postings were written in (entries in older segments are dead) and its
 * chunk count; `term_stats`.
 */
export const LEXICAL_SQL = `
CREATE TABLE postings (id INTEGER PRIMARY KEY, term TEXT NOT NULL, generation INTEGER NOT NULL, data BLOB NOT NULL, skips BLOB) STRICT;
CREATE INDEX postings_term ON postings (term);
CREATE TABLE lexical_docs (seq INTEGER PRIMARY KEY, generation INTEGER NOT NULL, chunks INTEGER NOT NULL) STRICT;
${TERM_STATS_SQL}`;

/** Tables every newsrag SQLite index has; a database lacking them is someone else's. */
export const REQUIRED_TABLES = ['meta', 'articles', 'chunks', 'changes'];

/** The lexical tables of a schema version: FTS5 up to 1 (upgraded on open), own postings from 2, their term statistics from 3. */
export function lexicalTables(version: number): string[] {
  if (version >= 3) return ['postings', 'lexical_docs', 'term_stats'];
  return version >= 2 ? ['postings', 'lexical_docs'] : ['chunks_fts', 'chunks_fts_vocab', 'chunks_fts_instance'];
}

/** The FTS5 tables of a schema-1 index, dropped by the upgrade to 2. */
export const FTS_TABLES_V1 = ['chunks_fts_instance', 'chunks_fts_vocab', 'chunks_fts'];

/** Connection settings every connection uses. */
export function configure(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // WAL: readers keep their snapshot and never block the writer. FULL: each commit is
  // fsynced, so a committed update survives power loss too (one fsync per update).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
}

/** Names of the tables (and virtual tables) in the database. */
export function tableNames(db: Database.Database): Set<string> {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").pluck().all() as string[];
  return new Set(rows);
}
