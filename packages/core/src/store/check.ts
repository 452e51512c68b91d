import { NewsragError } from '../errors.js';
import type { ArticleRecord, Chunk } from '../types.js';
import type { ConsistencyReport, Manifest } from './contract.js';

/**
 * The snapshot a check inspects, or the report when there is none: an index that does not
 * load is not ok, with the load error as its problem; no index at all says how to build one.
 */
export async function openForCheck<R>(
  open: () => Promise<R | null>,
  location: string,
): Promise<{ reader: R } | { report: ConsistencyReport }> {
  let reader: R | null;
  try {
    reader = await open();
  } catch (error) {
    if (error instanceof NewsragError)
      return { report: { ok: false, problems: [error.message], articleCount: 0, chunkCount: 0 } };
    throw error;
  }
  if (!reader) {
    return {
      report: {
        ok: false,
        problems: [`no index in ${location}; run \`newsrag index <articles folder>\``],
        articleCount: 0,
        chunkCount: 0,
      },
    };
  }
  return { reader };
}

/** What {@link checkGeneration} inspects. */
export interface CheckInput {
  manifest: Manifest;
  articles: readonly ArticleRecord[];
  chunks: readonly Chunk[];
  vectors: Float32Array;
}

/** Stop listing after this many problems; a broken index would otherwise print thousands of lines. */
const MAX_PROBLEMS = 50;

/**
 * Verifies a loaded generation: counts, vector length and values, unique ids,
 * every chunk's offsets inside its article, each article's rows contiguous and
 * complete with ordinals 0..n−1, and unit-length vectors when the model normalises.
 */
export function checkGeneration(g: CheckInput): ConsistencyReport {
  const problems: string[] = [];
  const add = (p: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const { manifest, articles, chunks, vectors } = g;
  const d = manifest.dimensions;
  if (manifest.articleCount !== articles.length)
    add(`manifest says ${manifest.articleCount} articles, articles.json has ${articles.length}`);
  if (manifest.chunkCount !== chunks.length)
    add(`manifest says ${manifest.chunkCount} chunks, chunks.jsonl has ${chunks.length}`);
  if (vectors.length !== chunks.length * d)
    add(`vectors.f32 holds ${vectors.length} floats, expected ${chunks.length} × ${d}`);

  const byId = new Map<string, ArticleRecord>();
  for (const a of articles) {
    if (byId.has(a.id)) add(`article id ${a.id} appears twice in articles.json`);
    byId.set(a.id, a);
  }
  const chunkIds = new Set<string>();
  const seen = new Map<string, { first: number; last: number; count: number }>();
  chunks.forEach((c, row) => {
    if (chunkIds.has(c.id)) add(`chunk id ${c.id} appears twice (row ${row})`);
    chunkIds.add(c.id);
    const a = byId.get(c.articleId);
    if (!a) {
      add(`chunk ${c.id} (row ${row}) belongs to unknown article ${c.articleId}`);
      return;
    }
    if (!(c.start >= 0 && c.start < c.end && c.end <= a.length)) {
      add(`chunk ${c.id} (row ${row}) offsets ${c.start}..${c.end} lie outside article ${a.id} (length ${a.length})`);
    }
    if (c.text.length !== c.end - c.start)
      add(`chunk ${c.id} (row ${row}) text length ${c.text.length} ≠ end − start (${c.end - c.start})`);
    const s = seen.get(c.articleId);
    if (!s) {
      seen.set(c.articleId, { first: row, last: row, count: 1 });
      if (c.ordinal !== 0) add(`chunk ${c.id} (row ${row}) is the first of its article but has ordinal ${c.ordinal}`);
    } else {
      if (s.last !== row - 1) add(`rows of article ${c.articleId} are not contiguous (row ${row} follows ${s.last})`);
      if (c.ordinal !== s.count) add(`chunk ${c.id} (row ${row}) has ordinal ${c.ordinal}, expected ${s.count}`);
      s.last = row;
      s.count++;
    }
  });
  for (const a of articles) {
    const n = seen.get(a.id)?.count ?? 0;
    if (n !== a.chunkCount) add(`article ${a.id} declares ${a.chunkCount} chunks, the index has ${n}`);
  }
  const rows = Math.min(chunks.length, Math.floor(vectors.length / d));
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    let finite = true;
    for (let j = r * d, end = j + d; j < end; j++) {
      const v = vectors[j] as number;
      if (!Number.isFinite(v)) finite = false;
      norm += v * v;
    }
    if (!finite) add(`vector of row ${r} holds a non-finite value`);
    else if (manifest.fingerprint.normalize && Math.abs(Math.sqrt(norm) - 1) > 1e-3) {
      add(`vector of row ${r} has length ${Math.sqrt(norm).toFixed(4)}, expected 1 (the model normalises)`);
    }
  }
  return { ok: problems.length === 0, problems, articleCount: articles.length, chunkCount: chunks.length };
}
