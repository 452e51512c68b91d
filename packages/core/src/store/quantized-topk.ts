import type { ScoredChunk } from './contract.js';
import { DenseMatrix, type QuantizedMatrix } from './dense/index.js';
import { pushRange, TopK } from './topk.js';

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
 * From how many candidate rows (the whole index, or the rows a filter lets through) the int8
 * scan is preceded by the sign-bit prefilter ({@link prefilterDepth}). Below it the int8 scan
 * of every row is a few milliseconds and stays exact up to the rescoring margin; at 1M rows of
 * 384 dimensions it reads 384 MB a question (~100 ms on the project's machine) where the sign
 * bits are 48 MB.
 */
export const PREFILTER_MIN_ROWS = 200_000;

/**
 * How many rows of the smallest Hamming distance to the query's sign pattern are scored with
 * int8 codes for a top-`k`: 4,000 and at least 80 × `k` — 0.4% of a 1M-row index, so the
 * int8 stage costs a fiftieth of a full scan. Recall@10 against the exact scan is measured in
 * quantized-topk.test.ts and at 1M chunks in the store README.
 */
export function prefilterDepth(k: number): number {
  return Math.max(4_000, 80 * k);
}

/** The sign-bit prefilter's settings (tests vary them; the store uses the defaults). */
export interface PrefilterOptions {
  /** Candidate rows from which it runs (default {@link PREFILTER_MIN_ROWS}). */
  fromRows?: number;
  /** Rows kept for the int8 stage (default {@link prefilterDepth}). */
  depth?: number;
}

/**
 * The `k` rows scoring highest against `query` by exact dot product, found with an int8
 * scan of `matrix` (every row, or only the articles `allowed` lets through: a 0/1 mask over
 * articles whose rows are `[firstRow[a], firstRow[a] + rowCount[a])`), then the exact
 * vectors `exact(row)` of the {@link rescoreDepth} best scored by the float32 kernel, so the
 * scores are bit for bit those of an exact float32 scan (the folder engine's). Ties prefer
 * the lower row.
 *
 * From {@link PREFILTER_MIN_ROWS} candidate rows on, only the {@link prefilterDepth} rows
 * nearest the query's sign pattern (Hamming distance over one bit a dimension, see
 * `QuantizedMatrix.hamming`) are scored with int8 codes: the scan reads an eighth of the
 * bytes, and the rows it drops are ones whose angle to the query is far from the top's.
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
  prefilter: PrefilterOptions = {},
): ScoredChunk[] {
  const limit = Math.floor(k);
  if (limit <= 0 || rows === 0) return [];
  const coarse = new TopK(rescoreDepth(limit));
  const fromRows = prefilter.fromRows ?? PREFILTER_MIN_ROWS;
  if (matrix.hasSignBits && (allowed === null ? rows : allowedRows(allowed, rowCount)) >= fromRows) {
    const depth = prefilter.depth ?? prefilterDepth(limit);
    prefiltered(coarse, matrix, query, depth, rows, allowed, firstRow, rowCount);
  } else if (allowed === null) {
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

function allowedRows(allowed: Uint8Array, rowCount: Int32Array): number {
  let n = 0;
  for (let a = 0; a < allowed.length; a++) if (allowed[a] === 1) n += rowCount[a] as number;
  return n;
}

/**
 * The int8 scores of the `depth` candidate rows nearest the query's sign pattern (Hamming
 * distance; ties at the cut-off distance taken in row order) pushed into `coarse`. The cut-off
 * comes from a histogram of the distances (0..dims), so selecting costs one pass.
 */
function prefiltered(
  coarse: TopK,
  matrix: QuantizedMatrix,
  query: Float32Array,
  depth: number,
  rows: number,
  allowed: Uint8Array | null,
  firstRow: Int32Array,
  rowCount: Int32Array,
): void {
  const ranges: [number, number][] = [];
  if (allowed === null) ranges.push([0, rows]);
  else
    for (let a = 0; a < allowed.length; a++) {
      const count = rowCount[a] as number;
      if (allowed[a] !== 1 || count === 0) continue;
      const first = firstRow[a] as number;
      const last = ranges[ranges.length - 1];
      // Adjacent allowed articles make one range (one kernel call).
      if (last && last[0] + last[1] === first) last[1] += count;
      else ranges.push([first, count]);
    }
  const distances = matrix.hamming(query, ranges);
  const histogram = new Uint32Array(matrix.dims + 1);
  for (const [first, count] of ranges) {
    for (let r = first; r < first + count; r++) {
      const h = distances[r] as number;
      histogram[h] = (histogram[h] as number) + 1;
    }
  }
  // The cut-off: every row nearer than `cut`, and rows at `cut` until `depth` are taken.
  let cut = 0;
  let below = 0;
  while (cut < matrix.dims && below + (histogram[cut] as number) < depth) below += histogram[cut++] as number;
  let atCut = depth - below;
  const chosen = new Int32Array(depth);
  let n = 0;
  for (const [first, count] of ranges) {
    for (let r = first; r < first + count && n < depth; r++) {
      const h = distances[r] as number;
      if (h < cut || (h === cut && atCut-- > 0)) chosen[n++] = r;
    }
  }
  const scores = new Float32Array(n);
  matrix.scoresOf(query, chosen, n, scores);
  for (let i = 0; i < n; i++) coarse.push(chosen[i] as number, scores[i] as number);
}

let scratch: DenseMatrix | null = null;

/** A float32 matrix of at least `rows × dims` for rescoring, reused between searches (they are synchronous). */
function scratchMatrix(rows: number, dims: number): DenseMatrix {
  if (!scratch || scratch.dims !== dims || scratch.rows < rows)
    scratch = DenseMatrix.allocate(Math.max(rows, 256), dims);
  return scratch;
}
