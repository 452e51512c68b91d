import type Database from 'better-sqlite3';
import type { ArticleMeta, ArticleRecord } from '../../types.js';
import { corrupt } from '../errors.js';
import { type ArticleRow, articleFromRow } from './load.js';

const META_KEYS = new Set(['title', 'date', 'url', 'source', 'author', 'collection', 'language']);

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/**
 * The record of an `articles` row when it is exactly what this code writes (known meta
 * fields, all strings; a signature of three well-typed fields), else null, and the caller
 * takes the zod path ({@link articleFromRow}), which also names what is wrong. zod costs
 * ~10 µs a row: 1.2 s of a 1M-chunk open (125k articles), this check a tenth of it.
 */
function fastArticle(r: ArticleRowWithLengths): ArticleRecord | null {
  if (typeof r.id !== 'string' || r.id === '' || typeof r.path !== 'string' || typeof r.hash !== 'string') return null;
  if (!isCount(r.length) || !isCount(r.chunk_count)) return null;
  let meta: unknown;
  let signature: unknown;
  try {
    meta = JSON.parse(r.meta);
    signature = r.signature === null ? undefined : JSON.parse(r.signature);
  } catch {
    return null;
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return null;
  for (const [k, v] of Object.entries(meta)) if (!META_KEYS.has(k) || typeof v !== 'string') return null;
  const record: ArticleRecord = {
    id: r.id,
    path: r.path,
    hash: r.hash,
    meta: meta as ArticleMeta,
    length: r.length,
    chunkCount: r.chunk_count,
  };
  if (signature !== undefined) {
    const s = signature as Record<string, unknown>;
    if (typeof s !== 'object' || s === null || Object.keys(s).length !== 3) return null;
    if (typeof s.scheme !== 'string' || s.scheme === '' || typeof s.minhash !== 'string' || !isCount(s.shingles))
      return null;
    record.signature = { scheme: s.scheme, minhash: s.minhash, shingles: s.shingles };
  }
  return record;
}

type RawRow = [number, string, string, string, string, number, number, string | null, Buffer];

/** An `articles` row with its chunks' BM25 field lengths. */
interface ArticleRowWithLengths extends ArticleRow {
  field_lengths: Buffer;
}

/**
 * Every article record in seq order with its seq, and each chunk's BM25 field lengths (per
 * row: text, title), in one pass over `articles` (schema 2 keeps no vectors there, so the
 * pass reads only small rows).
 */
export function readArticleRows(
  db: Database.Database,
  file: string,
  location: string,
): { articles: ArticleRecord[]; seqs: number[]; fieldLengths: Uint32Array } {
  const articles: ArticleRecord[] = [];
  const seqs: number[] = [];
  const lengths: Buffer[] = [];
  let rows = 0;
  const stmt = db.prepare(
    'SELECT seq, id, path, hash, meta, length, chunk_count, signature, field_lengths FROM articles ORDER BY seq',
  );
  // Raw rows (arrays): cheaper than an object with named keys per row.
  for (const raw of stmt.raw().iterate() as IterableIterator<RawRow>) {
    const r: ArticleRowWithLengths = {
      seq: raw[0],
      id: raw[1],
      path: raw[2],
      hash: raw[3],
      meta: raw[4],
      length: raw[5],
      chunk_count: raw[6],
      signature: raw[7],
      field_lengths: raw[8],
    };
    const a = fastArticle(r) ?? articleFromRow(r, file, location);
    if (r.field_lengths.length !== a.chunkCount * 8) {
      throw corrupt(
        file,
        `article ${a.id}: its field lengths hold ${r.field_lengths.length} bytes, expected ${a.chunkCount} chunks × 2 fields × 4`,
        location,
      );
    }
    articles.push(a);
    seqs.push(r.seq);
    lengths.push(r.field_lengths);
    rows += a.chunkCount;
  }
  // Little-endian uint32 BLOBs copied as bytes: the store refuses big-endian hosts.
  const fieldLengths = new Uint32Array(rows * 2);
  const bytes = new Uint8Array(fieldLengths.buffer);
  let offset = 0;
  for (const b of lengths) {
    bytes.set(b, offset);
    offset += b.length;
  }
  return { articles, seqs, fieldLengths };
}
