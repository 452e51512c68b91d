import Database from 'better-sqlite3';
import { newsragError } from '../../errors.js';
import { indexAnalyzer } from '../../text/analyzers.js';
import type { ArticleRecord } from '../../types.js';
import type { Manifest } from '../contract.js';
import { corrupt, rebuildHint } from '../errors.js';
import { articleRecordSchema, describeZodError, manifestSchema } from '../manifest.js';
import { vectorLayout } from './quantized.js';
import { lexicalTables, REQUIRED_TABLES, SQLITE_SCHEMA_VERSION, tableNames } from './schema.js';

/** SQLite result codes that mean the file is not (or no longer) a sound database. */
const DAMAGED = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE']);

/** INDEX_CORRUPT naming `file` for a SQLite error that says the file is damaged; other errors as they are. */
export function wrapSqliteError(error: unknown, file: string, location: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (
    error instanceof Database.SqliteError &&
    typeof code === 'string' &&
    (DAMAGED.has(code) || code.startsWith('SQLITE_CORRUPT'))
  ) {
    return corrupt(file, `${error.message} (${code})`, location, error);
  }
  return error;
}

/** The `meta` table as a map. */
export function readMeta(db: Database.Database): Map<string, string> {
  const rows = db.prepare('SELECT key, value FROM meta').raw().all() as [string, string][];
  return new Map(rows);
}

/**
 * Whether the database holds a newsrag index: false for an empty database (a first write
 * that never committed), INDEX_CORRUPT for another program's database, INDEX_SCHEMA_NEWER
 * for a newer newsrag's.
 */
export function hasIndex(db: Database.Database, file: string, location: string): boolean {
  const tables = tableNames(db);
  if (tables.size === 0) return false;
  const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
  if (missing.length > 0) {
    throw corrupt(file, `is a SQLite database but not a newsrag index (no table ${missing.join(', ')})`, location);
  }
  const version = Number(readMeta(db).get('schemaVersion'));
  if (version > SQLITE_SCHEMA_VERSION) {
    throw newsragError('INDEX_SCHEMA_NEWER', {
      index: location,
      file,
      version,
      supported: SQLITE_SCHEMA_VERSION,
      fix: rebuildHint(location),
    });
  }
  const lexicalMissing = lexicalTables(version).filter((t) => !tables.has(t));
  if (lexicalMissing.length > 0) {
    throw corrupt(file, `has schemaVersion ${version} but no table ${lexicalMissing.join(', ')}`, location);
  }
  if (version >= 2 && vectorLayout(tables) !== 'tables') {
    throw corrupt(file, `has schemaVersion ${version} but no vectors and quantized tables`, location);
  }
  return true;
}

/** The manifest stored in `meta`, with the counts given. */
export function readManifest(
  db: Database.Database,
  file: string,
  location: string,
  articleCount: number,
  chunkCount: number,
): Manifest {
  const meta = readMeta(db);
  let fingerprint: unknown;
  try {
    fingerprint = JSON.parse(meta.get('fingerprint') ?? 'null');
  } catch (error) {
    throw corrupt(file, 'meta.fingerprint is not valid JSON', location, error);
  }
  const parsed = manifestSchema.safeParse({
    schemaVersion: Number(meta.get('schemaVersion')),
    fingerprint,
    fingerprintId: meta.get('fingerprintId'),
    dimensions: Number(meta.get('dimensions')),
    articleCount,
    chunkCount,
    createdAt: meta.get('createdAt'),
    updatedAt: meta.get('updatedAt'),
    generation: Number(meta.get('generation')),
  });
  if (!parsed.success) throw corrupt(file, `meta: ${describeZodError(parsed.error)}`, location, parsed.error);
  if (parsed.data.dimensions !== parsed.data.fingerprint.dimensions) {
    throw corrupt(file, 'meta.dimensions differs from the fingerprint dimensions', location);
  }
  return parsed.data;
}

/** One row of the `articles` table, as SQLite returns it. */
export interface ArticleRow {
  seq: number;
  id: string;
  path: string;
  hash: string;
  meta: string;
  length: number;
  chunk_count: number;
  /** The record's near-duplicate signature as JSON; NULL when it has none yet. */
  signature: string | null;
}

/** Parses one `articles` row into a record. */
export function articleFromRow(r: ArticleRow, file: string, location: string): ArticleRecord {
  let meta: unknown;
  try {
    meta = JSON.parse(r.meta);
  } catch (error) {
    throw corrupt(file, `article ${r.id}: meta is not valid JSON`, location, error);
  }
  let signature: unknown;
  try {
    signature = r.signature === null ? undefined : JSON.parse(r.signature);
  } catch (error) {
    throw corrupt(file, `article ${r.id}: signature is not valid JSON`, location, error);
  }
  const parsed = articleRecordSchema.safeParse({
    id: r.id,
    path: r.path,
    hash: r.hash,
    meta,
    length: r.length,
    chunkCount: r.chunk_count,
    ...(signature === undefined ? {} : { signature }),
  });
  if (!parsed.success) throw corrupt(file, `article ${r.id}: ${describeZodError(parsed.error)}`, location);
  return parsed.data;
}

/** Every article record, in seq order, with its seq. */
export function readArticles(
  db: Database.Database,
  file: string,
  location: string,
): { articles: ArticleRecord[]; seqs: number[] } {
  const articles: ArticleRecord[] = [];
  const seqs: number[] = [];
  const stmt = db.prepare(
    'SELECT seq, id, path, hash, meta, length, chunk_count, signature FROM articles ORDER BY seq',
  );
  for (const r of stmt.iterate() as IterableIterator<ArticleRow>) {
    articles.push(articleFromRow(r, file, location));
    seqs.push(r.seq);
  }
  return { articles, seqs };
}

/**
 * An article's BM25 field lengths as the BLOB stored: per chunk, the distinct raw tokens of
 * its text and of the article title (MiniSearch's field length), little-endian uint32.
 */
export function fieldLengthsBlob(chunks: readonly { text: string }[], title: string): Buffer {
  const out = Buffer.alloc(chunks.length * 8);
  const titleLength = indexAnalyzer.fieldLength(title);
  chunks.forEach((c, i) => {
    out.writeUInt32LE(indexAnalyzer.fieldLength(c.text), i * 8);
    out.writeUInt32LE(titleLength, i * 8 + 4);
  });
  return out;
}
