import type Database from 'better-sqlite3';
import type { ArticleRecord } from '../../types.js';
import { QuantizedMatrix, quantizedBlob, quantizeInto } from '../dense/index.js';
import { corrupt } from '../errors.js';

/**
 * Schema version 2 keeps each article's vectors out of its `articles` row, in two tables of
 * their own keyed by the article seq: `vectors` (the exact little-endian float32 BLOB, read
 * on demand: rescoring, `vector(row)`, checks) and `quantized` (per chunk a float32 scale,
 * then the int8 codes: see {@link quantizedBlob}), which is all an open reads. In version 1
 * the float32 BLOB sat in the middle of the `articles` row, so reading any article row, or
 * the field lengths after it, walked the BLOB's overflow pages: 1.5 GB at 1M chunks.
 */
export const VECTOR_TABLES_SQL = `
CREATE TABLE vectors (seq INTEGER PRIMARY KEY, exact BLOB NOT NULL) STRICT;
CREATE TABLE quantized (seq INTEGER PRIMARY KEY, codes BLOB NOT NULL) STRICT;
`;

/** Where a file keeps its vectors: `articles.vectors` (schema 1) or the `vectors` and `quantized` tables (2). */
export type VectorLayout = 'inline' | 'tables';

/** The layout of an index database, from its tables. */
export function vectorLayout(tables: ReadonlySet<string>): VectorLayout {
  return tables.has('quantized') && tables.has('vectors') ? 'tables' : 'inline';
}

/**
 * Moves a schema-1 file's vectors into the version-2 tables inside the caller's write
 * transaction, quantising each float32 BLOB (no re-embedding), then drops `articles.vectors`.
 * Runs once, on the first write after an upgrade of newsrag; costs one pass over the vectors.
 */
export function upgradeToTables(db: Database.Database, dimensions: number): void {
  db.exec(VECTOR_TABLES_SQL);
  const insertExact = db.prepare('INSERT INTO vectors (seq, exact) VALUES (?, ?)');
  const insertCodes = db.prepare('INSERT INTO quantized (seq, codes) VALUES (?, ?)');
  // In batches: better-sqlite3 lets no statement write while another iterates, and all at once would hold every BLOB.
  const batch = db.prepare('SELECT seq, vectors FROM articles WHERE seq > ? ORDER BY seq LIMIT 1000').raw();
  for (let after = 0; ; ) {
    const rows = batch.all(after) as [number, Buffer][];
    if (rows.length === 0) break;
    for (const [seq, blob] of rows) {
      insertExact.run(seq, blob);
      const floats = new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
      insertCodes.run(seq, quantizedBlob(floats, dimensions));
      after = seq;
    }
  }
  db.exec('ALTER TABLE articles DROP COLUMN vectors');
}

/** Writes one article's vectors (exact and quantised) in the version-2 tables. */
export function vectorWriter(db: Database.Database, dimensions: number) {
  const insertExact = db.prepare('INSERT INTO vectors (seq, exact) VALUES (?, ?)');
  const insertCodes = db.prepare('INSERT INTO quantized (seq, codes) VALUES (?, ?)');
  const deleteExact = db.prepare('DELETE FROM vectors WHERE seq = ?');
  const deleteCodes = db.prepare('DELETE FROM quantized WHERE seq = ?');
  return {
    put(seq: number, vectors: Float32Array): void {
      insertExact.run(seq, Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength));
      insertCodes.run(seq, quantizedBlob(vectors, dimensions));
    },
    drop(seq: number): void {
      deleteExact.run(seq);
      deleteCodes.run(seq);
    },
  };
}

/**
 * Each article's quantised vectors, in seq order, into one {@link QuantizedMatrix}
 * allocated at its final size. A schema-1 file has only float32 BLOBs: they are read and
 * quantised here (as slow as opening was before version 2; the next write upgrades the file).
 */
export function readQuantized(
  db: Database.Database,
  file: string,
  location: string,
  articles: readonly ArticleRecord[],
  dimensions: number,
  layout: VectorLayout,
): QuantizedMatrix {
  const rows = articles.reduce((n, a) => n + a.chunkCount, 0);
  const matrix = QuantizedMatrix.allocate(rows, dimensions);
  const sql =
    layout === 'tables' ? 'SELECT codes FROM quantized ORDER BY seq' : 'SELECT vectors FROM articles ORDER BY seq';
  let i = 0;
  let row = 0;
  for (const [blob] of db.prepare(sql).raw().iterate() as IterableIterator<[Buffer]>) {
    const a = articles[i++];
    if (!a) throw corrupt(file, 'there are more article vectors than articles', location);
    if (layout === 'tables') {
      if (!matrix.setRows(row, a.chunkCount, blob)) {
        throw corrupt(
          file,
          `article ${a.id}: its quantised vectors hold ${blob.length} bytes, expected ${a.chunkCount} chunks × (4 + ${dimensions})`,
          location,
        );
      }
    } else {
      checkExactLength(blob, a, dimensions, file, location);
      const floats = new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
      matrix.setRows(row, a.chunkCount, quantizedBlob(floats, dimensions));
    }
    row += a.chunkCount;
  }
  if (i !== articles.length) {
    throw corrupt(file, `${articles.length - i} articles have no vectors`, location);
  }
  return matrix;
}

function checkExactLength(
  blob: Buffer,
  a: Pick<ArticleRecord, 'id' | 'chunkCount'>,
  dimensions: number,
  file: string,
  location: string,
): void {
  const expected = a.chunkCount * dimensions * 4;
  if (blob.length !== expected) {
    throw corrupt(
      file,
      `article ${a.id}: its vectors hold ${blob.length} bytes, expected ${a.chunkCount} chunks × ${dimensions} dimensions × 4`,
      location,
    );
  }
}

/** How many articles' exact vectors a reader keeps decoded (12 KB each at 8 chunks × 384 dimensions). */
const EXACT_CACHE_ARTICLES = 4_096;

/**
 * The exact float32 vectors of a snapshot, read from SQLite per article when asked (the
 * int8 matrix is what stays in memory) and kept in a small LRU: a query rescored and
 * reranked touches a few hundred rows, mostly of the same articles.
 */
export class ExactVectors {
  private readonly stmt: Database.Statement;
  private readonly cache = new Map<number, Float32Array>();

  constructor(
    db: Database.Database,
    layout: VectorLayout,
    private readonly dimensions: number,
    private readonly file: string,
    private readonly location: string,
  ) {
    this.stmt = db
      .prepare(
        layout === 'tables' ? 'SELECT exact FROM vectors WHERE seq = ?' : 'SELECT vectors FROM articles WHERE seq = ?',
      )
      .pluck();
  }

  /** The `chunkCount × dimensions` vectors of the article stored under `seq`. */
  article(seq: number, a: Pick<ArticleRecord, 'id' | 'chunkCount'>): Float32Array {
    const hit = this.cache.get(seq);
    if (hit) {
      this.cache.delete(seq);
      this.cache.set(seq, hit);
      return hit;
    }
    const blob = this.stmt.get(seq) as Buffer | undefined;
    if (!blob) throw corrupt(this.file, `article ${a.id} has no vectors`, this.location);
    checkExactLength(blob, a, this.dimensions, this.file, this.location);
    // A copy: the Buffer better-sqlite3 returns may share a pool, and the cache outlives it.
    const vectors = new Float32Array(blob.byteLength / 4);
    new Uint8Array(vectors.buffer).set(blob);
    this.cache.set(seq, vectors);
    if (this.cache.size > EXACT_CACHE_ARTICLES) {
      const oldest = this.cache.keys().next().value as number;
      this.cache.delete(oldest);
    }
    return vectors;
  }
}

/**
 * Problems where the int8 vectors in memory do not match the exact ones (`exact`, the
 * snapshot's whole float32 matrix): each row re-quantised must give the stored codes.
 */
export function checkQuantized(matrix: QuantizedMatrix, exact: Float32Array, file: string): string[] {
  const d = matrix.dims;
  const codes = new Int8Array(d);
  let bad = 0;
  let first = -1;
  for (let r = 0; r < matrix.rows; r++) {
    const scale = quantizeInto(exact.subarray(r * d, (r + 1) * d), codes, 0);
    let same = Math.abs(scale - (matrix.scales[r] as number)) <= 1e-6 * Math.max(1, Math.abs(scale));
    for (let j = 0; same && j < d; j++) same = codes[j] === matrix.codes[r * d + j];
    if (!same) {
      bad++;
      if (first === -1) first = r;
    }
  }
  return bad === 0
    ? []
    : [`${file}: ${bad} rows' quantised vectors differ from their exact vectors (first: row ${first})`];
}
