import type { ScoredChunk } from './contract.js';
import type { DenseMatrix } from './dense/index.js';

/**
 * Keeps the best `k` (row, score) pairs seen so far in a binary min-heap, so a
 * scan over n rows costs O(n log k) instead of sorting n scores. Ties prefer the
 * lower tie key (the row unless `push` is given another, as MaxScore gives its
 * first-match order), so results are deterministic.
 */
export class TopK {
  private readonly rows: Int32Array;
  private readonly ties: Float64Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(readonly k: number) {
    this.rows = new Int32Array(Math.max(0, k));
    this.ties = new Float64Array(Math.max(0, k));
    this.scores = new Float64Array(Math.max(0, k));
  }

  /** The score a candidate must beat to enter (−∞ until the heap is full). */
  get threshold(): number {
    return this.size < this.k ? Number.NEGATIVE_INFINITY : (this.scores[0] as number);
  }

  /** `a` ranks below `b`. */
  private worse(i: number, j: number): boolean {
    const si = this.scores[i] as number;
    const sj = this.scores[j] as number;
    return si < sj || (si === sj && (this.ties[i] as number) > (this.ties[j] as number));
  }

  private swap(i: number, j: number): void {
    const r = this.rows[i] as number;
    this.rows[i] = this.rows[j] as number;
    this.rows[j] = r;
    const t = this.ties[i] as number;
    this.ties[i] = this.ties[j] as number;
    this.ties[j] = t;
    const s = this.scores[i] as number;
    this.scores[i] = this.scores[j] as number;
    this.scores[j] = s;
  }

  push(row: number, score: number, tie: number = row): void {
    if (this.k <= 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      this.rows[i] = row;
      this.ties[i] = tie;
      this.scores[i] = score;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const top = this.scores[0] as number;
    if (score < top || (score === top && tie > (this.ties[0] as number))) return;
    this.rows[0] = row;
    this.ties[0] = tie;
    this.scores[0] = score;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  /** Best first. */
  result(): ScoredChunk[] {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort(
      (a, b) =>
        (this.scores[b] as number) - (this.scores[a] as number) || (this.ties[a] as number) - (this.ties[b] as number),
    );
    return order.map((i) => ({ row: this.rows[i] as number, score: this.scores[i] as number }));
  }
}

/**
 * The `k` rows of `dense` scoring highest against `query`: every row when `allowed` is null,
 * else only the row ranges of the articles it allows (a 0/1 mask over articles). Rows of one
 * article are contiguous (`firstRow[a]`, `rowCount[a]`), so a filter costs what it keeps.
 * Both engines' readers lay their rows out this way.
 */
export function denseTopK(
  dense: DenseMatrix,
  query: Float32Array,
  k: number,
  rows: number,
  allowed: Uint8Array | null,
  firstRow: Int32Array,
  rowCount: Int32Array,
): ScoredChunk[] {
  const top = new TopK(Math.floor(k));
  if (top.k <= 0 || rows === 0) return [];
  if (allowed === null) {
    pushRange(top, dense.scores(query), 0, rows);
    return top.result();
  }
  for (let a = 0; a < allowed.length; a++) {
    const count = rowCount[a] as number;
    if (allowed[a] === 0 || count === 0) continue;
    const first = firstRow[a] as number;
    pushRange(top, dense.scores(query, first, count), first, count);
  }
  return top.result();
}

/** Offers rows `[first, first + count)` with their `scores` to the heap, cheapest test first. */
export function pushRange(top: TopK, scores: Float32Array, first: number, count: number): void {
  let threshold = top.threshold;
  for (let r = first; r < first + count; r++) {
    const score = scores[r] as number;
    if (score >= threshold) {
      top.push(r, score);
      threshold = top.threshold;
    }
  }
}
