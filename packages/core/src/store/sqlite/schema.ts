import type Database from 'better-sqlite3';
import { VECTOR_TABLES_SQL } from './quantized.js';

/** The SQLite engine's file inside the index folder. Its presence selects the engine. */
export const SQLITE_FILE = 'index.sqlite';

/**
 * The SQLite schema version this code writes (`meta.schemaVersion`). Version 2 moved the
 * vectors out of `articles` into `vectors` and `quantized` (see quantized.ts); a version-1
 * file is still read, and upgraded by its next write.
 */
export const SQLITE_SCHEMA_VERSION = 2;

/**
 * A chunk's rowid is `article seq × 2^20 + ordinal`, so rows of an article are contiguous
 * in rowid order and an FTS hit maps back to (article, ordinal) without a lookup table.
 */
export const ORDINAL_BITS = 2 ** 20;

/**
 * The FTS5 tokenizer over text that newsrag has already normalised (`processTerm`: lower
 * case, accents removed, stop words and single letters dropped, plurals stemmed), so
 * unicode61 only splits on the spaces between those terms. Diacritics are already gone.
 */
export const FTS_TOKENIZE = 'unicode61 remove_diacritics 0';

/**
 * Tables: `meta` (key/value: schemaVersion, fingerprint, dates, generation), `articles`
 * (one row per article: its near-duplicate signature as JSON, NULL for none, and each
 * chunk's BM25 field lengths, text then title, as little-endian uint32 pairs), `vectors` and
 * `quantized` (each article's vectors, exact and int8: see quantized.ts), `chunks` (text and offsets), `chunks_fts` (contentless FTS5
 * over the normalised chunk text and article title, rowid = chunk rowid; `contentless_delete`
 * so removals are real deletes), its vocabulary views (document frequencies; term
 * occurrences, from which BM25+ term frequencies are counted), and `changes` (which article seqs each generation touched:
 * the log a reader refreshes from).
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
CREATE VIRTUAL TABLE chunks_fts USING fts5(text, title, content='', contentless_delete=1, tokenize='${FTS_TOKENIZE}');
CREATE VIRTUAL TABLE chunks_fts_vocab USING fts5vocab(chunks_fts, row);
CREATE VIRTUAL TABLE chunks_fts_instance USING fts5vocab(chunks_fts, instance);
CREATE TABLE changes (generation INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (generation, seq)) STRICT, WITHOUT ROWID;
${VECTOR_TABLES_SQL}`;

/** Tables a newsrag SQLite index has; a database lacking them is someone else's. */
export const REQUIRED_TABLES = [
  'meta',
  'articles',
  'chunks',
  'chunks_fts',
  'chunks_fts_vocab',
  'chunks_fts_instance',
  'changes',
];

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
