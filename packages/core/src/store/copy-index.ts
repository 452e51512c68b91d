import { isDeepStrictEqual } from 'node:util';
import { newsragError } from '../errors.js';
import { articleRows } from '../retrieve/article-rows.js';
import type { ArticleUpsert, IndexReader, IndexStore } from './contract.js';

/** What {@link copyIndex} copied and checked. */
export interface CopySummary {
  articles: number;
  chunks: number;
  /** Articles whose records, chunks and vectors were read back from the copy and compared. */
  sampled: number;
  seconds: number;
}

export interface CopyOptions {
  /** Overwrite an index the target already holds (default: refuse). */
  replace?: boolean;
  /** Articles per write (default 500): bounds the memory a copy holds at once. */
  batchArticles?: number;
  /** Articles compared after the copy (default 50, spread over the index). */
  sample?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The stored contents of articles `ids`: through the reader's `contents` when it has one, else read by row. */
export async function articleContents(reader: IndexReader, ids: readonly string[]): Promise<ArticleUpsert[]> {
  if (reader.contents) return reader.contents(ids);
  const rows = articleRows(reader);
  const d = reader.manifest.dimensions;
  return ids.flatMap((id) => {
    const record = reader.article(id);
    const own = rows.get(id);
    if (!record || !own) return [];
    const vectors = new Float32Array(own.length * d);
    own.forEach((row, i) => {
      vectors.set(reader.vector(row), i * d);
    });
    return [{ record, chunks: own.map((row) => reader.chunk(row)), vectors }];
  });
}

/**
 * Copies the index of `from` into `to`, another engine or place, without embedding anything:
 * records, chunks and vectors as stored, the model fingerprint kept. The first batch
 * replaces whatever `to` held, the rest are added; then the copy is verified: the same
 * counts and model, and a sample of articles read back equal to the source, vectors bit for bit.
 * @throws INDEX_NOT_FOUND (nothing to copy), BAD_OPTIONS (the target holds an index and
 *   `replace` is not set), INDEX_CORRUPT (the copy differs from the source, naming what).
 */
export async function copyIndex(from: IndexStore, to: IndexStore, options: CopyOptions = {}): Promise<CopySummary> {
  const started = performance.now();
  const source = await from.open();
  if (!source) throw newsragError('INDEX_NOT_FOUND', { index: from.location, detail: 'to copy' });
  try {
    const existing = await to.open();
    if (existing) {
      existing.close?.();
      if (!options.replace) {
        throw newsragError('BAD_OPTIONS', {
          subject: `The copy's destination ${to.location}`,
          problem: `already holds an index (${existing.articleCount} articles)`,
          fix: 'pass --replace to overwrite it with the copy',
        });
      }
    }
    const m = source.manifest;
    const ids = source.articles().map((a) => a.id);
    const batch = options.batchArticles ?? 500;
    for (let i = 0; i === 0 || i < ids.length; i += batch) {
      const upserts = await articleContents(source, ids.slice(i, i + batch));
      const written = await to.write(
        { fingerprint: m.fingerprint, fingerprintId: m.fingerprintId, dimensions: m.dimensions, upserts, removals: [] },
        { replace: i === 0 },
      );
      written.close?.();
      options.onProgress?.(Math.min(ids.length, i + batch), ids.length);
    }
    const sampled = await verifyCopy(source, to, ids, options.sample ?? 50);
    return {
      articles: source.articleCount,
      chunks: source.chunkCount,
      sampled,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    source.close?.();
  }
}

async function verifyCopy(
  source: IndexReader,
  to: IndexStore,
  ids: readonly string[],
  sample: number,
): Promise<number> {
  const copy = await to.open();
  const fail = (what: string) =>
    newsragError('INDEX_CORRUPT', {
      subject: `The copy at ${to.location}`,
      problem: `it differs from its source (${what})`,
      fix: 'run the copy again',
    });
  if (!copy) throw fail('it holds no index');
  try {
    if (copy.manifest.fingerprintId !== source.manifest.fingerprintId) throw fail('another model fingerprint');
    if (copy.articleCount !== source.articleCount || copy.chunkCount !== source.chunkCount) {
      throw fail(
        `${copy.articleCount} articles and ${copy.chunkCount} chunks, not ${source.articleCount} and ${source.chunkCount}`,
      );
    }
    const step = Math.max(1, Math.floor(ids.length / Math.max(1, sample)));
    const picked = ids.filter((_, i) => i % step === 0).slice(0, sample);
    const [a, b] = [await articleContents(source, picked), await articleContents(copy, picked)];
    const copied = new Map(b.map((u) => [u.record.id, u]));
    for (const u of a) {
      const c = copied.get(u.record.id);
      if (!c) throw fail(`article ${u.record.id} is missing`);
      if (!isDeepStrictEqual(c.record, u.record)) throw fail(`article ${u.record.id}'s record`);
      if (!isDeepStrictEqual(c.chunks, u.chunks)) throw fail(`article ${u.record.id}'s chunks`);
      if (!isDeepStrictEqual(c.vectors, u.vectors)) throw fail(`article ${u.record.id}'s vectors`);
    }
    return a.length;
  } finally {
    copy.close?.();
  }
}
