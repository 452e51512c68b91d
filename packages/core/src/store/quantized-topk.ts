import type { ScoredChunk } from './contract.js';
import { DenseMatrix, type QuantizedMatrix } from './dense/index.js';
import { TopK } from './topk.js';

/**
 * How many int8 candidates are rescored with the exact float32 vectors for a top-`k`:
 * twice `k`, and at least `k + 50`. Int8 scores err by about 1e-3 for unit vectors of 384
 * dimensions, so the true top-k sits well inside this margin (recall@10 is measured in
 * quantized-topk.test.ts and in the README).
 */
export function rescoreDepth(k: number): number {
  return Math.max(2 * k, k + 50);
}

/**
 * The `k` rows scoring highest against `query` by exact dot product, found with an int8
 * scan of `matrix` (every row, or only the articles `allowed` lets through: a 0/1 mask over
 * articles whose rows are `[firstRow[a], firstRow[a] + rowCount[a])`), then the exact
 * vectors `exact(row)` of the {@link rescoreDepth} best scored by the float32 kernel, so the
 * scores are bit for bit those of an exact float32 scan (the folder engine's). Ties prefer
 * the lower row.
 */
export function quantizedTopK(
  matrix: QuantizedMatrix,
  query: Float32Array,
  k: number,
  rows: number,
  allowed: Uint8Array | null,
  firstRow: Int32Array,
  rowCount: Int32Array,
  exact: (row: number) => Float32Array,
): ScoredChunk[] {
  const limit = Math.floor(k);
  if (limit <= 0 || rows === 0) return [];
  const coarse = new TopK(rescoreDepth(limit));
  if (allowed === null) {
    pushRange(coarse, matrix.scores(query), 0, rows);
  } else {
    for (let a = 0; a < allowed.length; a++) {
      const count = rowCount[a] as number;
      if (allowed[a] === 0 || count === 0) continue;
      const first = firstRow[a] as number;
      pushRange(coarse, matrix.scores(query, first, count), first, count);
    }
  }
  // Rescored in row order: rows of one article are adjacent, so its exact BLOB is read once.
  const candidates = coarse.result().sort((x, y) => x.row - y.row);
  const d = matrix.dims;
  const rescore = scratchMatrix(candidates.length, d);
  for (const [i, c] of candidates.entries()) rescore.vectors.set(exact(c.row), i * d);
  const scores = rescore.scores(query, 0, candidates.length);
  const top = new TopK(limit);
  for (const [i, c] of candidates.entries()) top.push(c.row, scores[i] as number);
  return top.result();
}

let scratch: DenseMatrix | null = null;

/** A float32 matrix of at least `rows × dims` for rescoring, reused between searches (they are synchronous). */
function scratchMatrix(rows: number, dims: number): DenseMatrix {
  if (!scratch || scratch.dims !== dims || scratch.rows < rows)
    scratch = DenseMatrix.allocate(Math.max(rows, 256), dims);
  return scratch;
}

function pushRange(top: TopK, scores: Float32Array, first: number, count: number): void {
  let threshold = top.threshold;
  for (let r = first; r < first + count; r++) {
    const score = scores[r] as number;
    if (score >= threshold) {
      top.push(r, score);
      threshold = top.threshold;
    }
  }
}
