import Database from 'better-sqlite3';
import { DEAD_CHUNKS_KEY } from './lexical.js';

/**
 * Test fixture (not shipped: nothing in the engine imports it): turns a schema-3 file into
 * what newsrag wrote at schema 2 — the same postings without their skip data and no
 * `term_stats` (the upgrade to 3 computes both from the postings).
 */
export function downgradeToSchema2(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      BEGIN;
      DROP TABLE term_stats;
      ALTER TABLE postings DROP COLUMN skips;
      UPDATE meta SET value = '2' WHERE key = 'schemaVersion';
      COMMIT;
    `);
  } finally {
    db.close();
  }
}

/**
 * Test fixture (not shipped: nothing in the engine imports it): turns a schema-3 file into
 * what newsrag wrote at schema 1 — FTS5 tables instead of the postings (left empty: the
 * upgrade rebuilds the lexical index from the chunk texts, never from FTS5) and each
 * article's float32 vectors inline in `articles`, between signature and field lengths.
 */
export function downgradeToSchema1(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      BEGIN;
      CREATE TABLE articles_v1 (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, path TEXT NOT NULL, hash TEXT NOT NULL, meta TEXT NOT NULL,
        length INTEGER NOT NULL, chunk_count INTEGER NOT NULL, signature TEXT, vectors BLOB NOT NULL, field_lengths BLOB NOT NULL
      ) STRICT;
      INSERT INTO articles_v1 SELECT a.seq, a.id, a.path, a.hash, a.meta, a.length, a.chunk_count, a.signature, v.exact, a.field_lengths
        FROM articles a JOIN vectors v ON v.seq = a.seq;
      DROP TABLE articles; ALTER TABLE articles_v1 RENAME TO articles;
      DROP TABLE vectors; DROP TABLE quantized;
      DROP TABLE postings; DROP TABLE lexical_docs; DROP TABLE term_stats;
      CREATE VIRTUAL TABLE chunks_fts USING fts5(text, title, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
      CREATE VIRTUAL TABLE chunks_fts_vocab USING fts5vocab(chunks_fts, row);
      CREATE VIRTUAL TABLE chunks_fts_instance USING fts5vocab(chunks_fts, instance);
      UPDATE meta SET value = '1' WHERE key = 'schemaVersion';
      DELETE FROM meta WHERE key IN ('logStart', '${DEAD_CHUNKS_KEY}');
      COMMIT;
    `);
  } finally {
    db.close();
  }
}
