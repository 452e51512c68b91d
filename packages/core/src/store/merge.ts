import { type NewsragError, newsragError } from '../errors.js';
import type { ArticleRecord, Chunk } from '../types.js';
import type { ArticleUpsert, IndexUpdate, Manifest } from './contract.js';
import { SCHEMA_VERSION } from './manifest.js';

/** What a generation holds before its BM25 index is built. */
export interface MergedGeneration {
  manifest: Manifest;
  articles: ArticleRecord[];
  chunks: Chunk[];
  vectors: Float32Array;
}

/** The parts of the current generation a merge reads. */
export interface MergeBase {
  manifest: Manifest;
  articles: readonly ArticleRecord[];
  chunk(row: number): Chunk;
  rowsOf(id: string): { first: number; count: number };
  matrix(): Float32Array;
}

function bad(field: string, problem: string): NewsragError {
  return newsragError('BAD_OPTIONS', { subject: `Index update: ${field}`, problem });
}

/**
 * Checks an update before anything is written: dimensions, one vector per chunk,
 * finite values, chunk ids/offsets consistent with their article record.
 * @throws BAD_OPTIONS naming the field at fault.
 */
export function validateUpdate(update: IndexUpdate): void {
  const d = update.dimensions;
  if (!Number.isInteger(d) || d <= 0) throw bad('dimensions', `must be a positive integer, got ${d}`);
  if (update.fingerprint.dimensions !== d) {
    throw bad('fingerprint.dimensions', `(${update.fingerprint.dimensions}) differs from dimensions (${d})`);
  }
  const upserted = new Set<string>();
  update.upserts.forEach((u: ArticleUpsert, i) => {
    const where = `upserts[${i}] (${u.record.id})`;
    if (upserted.has(u.record.id)) throw bad(where, 'repeats an article id');
    upserted.add(u.record.id);
    if (u.record.chunkCount !== u.chunks.length) {
      throw bad(`${where}.record.chunkCount`, `is ${u.record.chunkCount} but ${u.chunks.length} chunks are given`);
    }
    if (u.vectors.length !== u.chunks.length * d) {
      throw bad(`${where}.vectors`, `has ${u.vectors.length} floats, expected ${u.chunks.length} × ${d}`);
    }
    for (let j = 0; j < u.vectors.length; j++) {
      if (!Number.isFinite(u.vectors[j])) throw bad(`${where}.vectors[${j}]`, 'is not a finite number');
    }
    u.chunks.forEach((c, j) => {
      const field = `${where}.chunks[${j}]`;
      if (c.articleId !== u.record.id) throw bad(`${field}.articleId`, `is ${c.articleId}, expected ${u.record.id}`);
      if (!(c.start >= 0 && c.start < c.end && c.end <= u.record.length)) {
        throw bad(field, `offsets ${c.start}..${c.end} lie outside the article (length ${u.record.length})`);
      }
      if (c.text.length !== c.end - c.start) throw bad(`${field}.text`, `length ${c.text.length} ≠ end − start`);
    });
  });
  for (const id of update.removals) {
    if (upserted.has(id)) throw bad('removals', `names ${id}, which is also upserted`);
  }
  const removed = new Set(update.removals);
  (update.signatures ?? []).forEach(({ id }, i) => {
    if (upserted.has(id) || removed.has(id)) {
      throw bad(`signatures[${i}]`, `names ${id}, which is also upserted or removed (an upsert carries its own)`);
    }
  });
}

/**
 * Applies an update to the current generation (or to nothing). Kept articles stay
 * in place with their rows copied (no re-embedding); an upserted existing article
 * takes its old place; new articles are appended in the given order.
 * @throws BAD_OPTIONS when two articles end up with the same chunk id.
 */
export function mergeGeneration(
  base: MergeBase | null,
  update: IndexUpdate,
  generation: number,
  now: string,
): MergedGeneration {
  const d = update.dimensions;
  const upserts = new Map(update.upserts.map((u) => [u.record.id, u]));
  const removals = new Set(update.removals);
  const signatures = new Map((update.signatures ?? []).map((s) => [s.id, s.signature]));
  type Source = { kind: 'base'; record: ArticleRecord } | { kind: 'upsert'; upsert: ArticleUpsert };
  const order: Source[] = [];
  const placed = new Set<string>();
  for (const record of base?.articles ?? []) {
    if (removals.has(record.id)) continue;
    const u = upserts.get(record.id);
    order.push(u ? { kind: 'upsert', upsert: u } : { kind: 'base', record });
    placed.add(record.id);
  }
  for (const u of update.upserts) if (!placed.has(u.record.id)) order.push({ kind: 'upsert', upsert: u });

  let rows = 0;
  for (const s of order) rows += s.kind === 'base' ? s.record.chunkCount : s.upsert.chunks.length;
  const vectors = new Float32Array(rows * d);
  const chunks: Chunk[] = new Array(rows);
  const articles: ArticleRecord[] = [];
  const ids = new Set<string>();
  let row = 0;
  for (const s of order) {
    if (s.kind === 'base' && base) {
      const { first, count } = base.rowsOf(s.record.id);
      vectors.set(base.matrix().subarray(first * d, (first + count) * d), row * d);
      for (let i = 0; i < count; i++) chunks[row + i] = base.chunk(first + i);
      const signature = signatures.get(s.record.id);
      articles.push(signature ? { ...s.record, signature } : s.record);
      row += count;
    } else if (s.kind === 'upsert') {
      vectors.set(s.upsert.vectors, row * d);
      for (let i = 0; i < s.upsert.chunks.length; i++) chunks[row + i] = s.upsert.chunks[i] as Chunk;
      articles.push(s.upsert.record);
      row += s.upsert.chunks.length;
    }
  }
  for (const c of chunks) {
    if (ids.has(c.id)) throw bad('upserts', `produce the chunk id ${c.id} twice`);
    ids.add(c.id);
  }
  const manifest: Manifest = {
    schemaVersion: SCHEMA_VERSION,
    fingerprint: update.fingerprint,
    fingerprintId: update.fingerprintId,
    dimensions: d,
    articleCount: articles.length,
    chunkCount: rows,
    createdAt: base?.manifest.createdAt ?? now,
    updatedAt: now,
    generation,
  };
  return { manifest, articles, chunks, vectors };
}
