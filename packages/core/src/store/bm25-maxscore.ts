import { BM25_PLUS_DEFAULTS, type Bm25Params } from './bm25-plus.js';
import type { RowPostings } from './bm25-rows.js';
import { TopK } from './topk.js';

/**
 * A forward-only view of one term's postings in row order. `lookup(row)` (rows ascending
 * across calls) sets `textTf` and `titleTf` for that row (0 where the term is absent);
 * `row` is the cursor's current row (first row ≥ the last lookup or advance) for iterating.
 */
export interface TermCursor {
  textTf: number;
  titleTf: number;
  /** The current row, 0x7fffffff past the end. */
  readonly row: number;
  lookup(row: number): void;
  /** {@link lookup} of the current row, then moves past it. */
  take(row: number): void;
}

/** What the scorer needs of one distinct query term. */
export interface TermSource {
  /** Live rows holding the term in the text field (its BM25 document frequency there). */
  textRows: number;
  /** Live rows holding it in the title field (every chunk of an article whose title holds it). */
  titleRows: number;
  /**
   * A fresh cursor at the term's first row: `iterate` true for an essential term (its rows are
   * enumerated: `row` and `take` are used), false for lookups only (`lookup`).
   */
  cursor(iterate: boolean): TermCursor;
}

const END = 0x7fffffff;

/** A {@link TermCursor} over decoded postings (both fields as sorted typed arrays). */
export class ArrayCursor implements TermCursor {
  textTf = 0;
  titleTf = 0;
  private i = 0;
  private j = 0;
  row: number;

  constructor(
    private readonly text: RowPostings,
    private readonly title: RowPostings,
  ) {
    this.row = this.current();
  }

  private current(): number {
    const a = this.i < this.text.size ? (this.text.docs[this.i] as number) : END;
    const b = this.j < this.title.size ? (this.title.docs[this.j] as number) : END;
    return Math.min(a, b);
  }

  lookup(row: number): void {
    const { text, title } = this;
    let i = this.i;
    const td = text.docs;
    const tn = text.size;
    while (i < tn && (td[i] as number) < row) i++;
    this.textTf = i < tn && td[i] === row ? (text.tfs[i] as number) : 0;
    let j = this.j;
    const ud = title.docs;
    const un = title.size;
    while (j < un && (ud[j] as number) < row) j++;
    this.titleTf = j < un && ud[j] === row ? (title.tfs[j] as number) : 0;
    this.i = i;
    this.j = j;
    this.row = this.current();
  }

  /** Looks `row` up (it must be the current row) and moves past it. */
  take(row: number): void {
    this.lookup(row);
    if (this.textTf > 0) this.i++;
    if (this.titleTf > 0) this.j++;
    this.row = this.current();
  }
}

function hitsOf(top: TopK): { doc: number; score: number }[] {
  return top.result().map((h) => ({ doc: h.row, score: h.score }));
}

/**
 * Bounds are inflated by this much so that floating-point rounding (the bound is summed in
 * another order than the score) can never prune a row that the exhaustive scorer would keep.
 */
const SAFETY = 1 + 1e-9;

/** The seed pass scores the rarest terms' rows up to this share of the index (see maxScoreSearch). */
const SEED_FRACTION = 1 / 64;

const NO_CURSOR: TermCursor = { textTf: 0, titleTf: 0, row: END, lookup() {}, take() {} };

/** One distinct query term during a search. */
interface Term {
  source: TermSource;
  /** Occurrences in the query: a repeated term is scored again (MiniSearch), counted once in the match factor. */
  times: number;
  /** Index of its first occurrence in the query (first-match order). */
  first: number;
  textIdf: number;
  titleIdf: number;
  /** Upper bound of its contribution (times × per-occurrence score) to any row's sum. */
  bound: number;
  cursor: TermCursor;
  /** The tfs found for the row being scored (0: absent). */
  textTf: number;
  titleTf: number;
}

/**
 * Exactly {@link import('./bm25-rows.js').RowBm25Scorer}'s ranking (MiniSearch's BM25+ over
 * text and title: per term and field, summed per row in query order, times the number of
 * distinct query terms matched; ties in first-match order), computed with MaxScore dynamic
 * pruning instead of scoring every posting: terms are ordered by their score bound
 * (`times × (idf_text + idf_title) × (δ + k1 + 1)`, since `tf·(k1+1)/(tf+norm) < k1+1`); the
 * lowest-bound terms whose bound sum, times their count (the match factor), cannot reach the
 * current k-th score are *non-essential*: rows are enumerated from the essential terms'
 * cursors only, and the non-essential terms are looked up (cursor `lookup`) for a row only
 * while its bound can still reach the k-th score. A row that survives is scored exactly as
 * the exhaustive scorer does (same operations, same order), so the scores are bit for bit
 * its scores; the tie key (first query term matched, text before title-only, row) is its
 * first-match position order.
 *
 * @param terms analysed query terms in query order, repeats kept
 * @param sourceOf a term's statistics and cursors, undefined when it has no live postings
 * @param lengths per row: text length, title length
 * @param averages mean text and title length over the `rows` rows (BM25's N)
 * @param accept filter applied before scoring (a rejected row is never ranked)
 * @param seedFraction the share of the rows the seed pass may score (tests vary it)
 */
export function maxScoreSearch(
  terms: readonly string[],
  sourceOf: (term: string) => TermSource | undefined,
  rows: number,
  lengths: Uint32Array,
  averages: readonly [number, number],
  k: number,
  accept: ((row: number) => boolean) | null,
  params: Bm25Params = BM25_PLUS_DEFAULTS,
  seedFraction = SEED_FRACTION,
): { doc: number; score: number }[] {
  const limit = Math.floor(k);
  if (limit <= 0) return [];
  const { k: k1, b: bb, d } = params;
  const [textAvg, titleAvg] = averages;
  const byTerm = new Map<string, Term>();
  const order: Term[] = [];
  /** Per query position, its distinct term (undefined: no postings). */
  const positions: (Term | undefined)[] = [];
  terms.forEach((word, ti) => {
    let t = byTerm.get(word);
    if (t === undefined && !byTerm.has(word)) {
      const source = sourceOf(word);
      if (source !== undefined && source.textRows + source.titleRows > 0) {
        const tn = source.textRows;
        const un = source.titleRows;
        t = {
          source,
          times: 0,
          first: ti,
          textIdf: Math.log(1 + (rows - tn + 0.5) / (tn + 0.5)),
          titleIdf: Math.log(1 + (rows - un + 0.5) / (un + 0.5)),
          bound: 0,
          cursor: NO_CURSOR,
          textTf: 0,
          titleTf: 0,
        };
        order.push(t);
      }
      byTerm.set(word, t as Term);
    }
    if (t) t.times++;
    positions.push(t);
  });
  const n = order.length;
  if (n === 0) return [];
  const peak = d + k1 + 1;
  for (const t of order) {
    const perOccurrence =
      (t.source.textRows > 0 ? t.textIdf * peak : 0) + (t.source.titleRows > 0 ? t.titleIdf * peak : 0);
    t.bound = t.times * perOccurrence * SAFETY;
  }
  // Ascending bound: terms[0..e) are non-essential once (prefix bound sum) × e < threshold.
  order.sort((x, y) => x.bound - y.bound);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] as number) + (order[i] as Term).bound;
  const reach = (e: number) => (prefix[e] as number) * e * SAFETY;

  const top = new TopK(limit);
  let theta = Number.NEGATIVE_INFINITY;
  /** Terms order[e..n) are essential. */
  let e = 0;
  const advanceEssential = () => {
    while (e < n && reach(e + 1) < theta) e++;
  };

  const rowsOf = (t: Term) => t.source.textRows + t.source.titleRows;
  /** Whether the current row holds a term of order[from..n) (the tfs gathered for it say). */
  const seeded = (from: number): boolean => {
    for (let i = from; i < n; i++) {
      const t = order[i] as Term;
      if (t.textTf > 0 || t.titleTf > 0) return true;
    }
    return false;
  };

  const scoreOf = (t: Term, row: number): number => {
    let s = 0;
    if (t.textTf > 0) {
      const tf = t.textTf;
      const norm = k1 * (1 - bb + (bb * (lengths[row * 2] as number)) / textAvg);
      s = t.textIdf * (d + (tf * (k1 + 1)) / (tf + norm));
      if (t.titleTf > 0) {
        const tf2 = t.titleTf;
        const norm2 = k1 * (1 - bb + (bb * (lengths[row * 2 + 1] as number)) / titleAvg);
        s = s + t.titleIdf * (d + (tf2 * (k1 + 1)) / (tf2 + norm2));
      }
    } else if (t.titleTf > 0) {
      const tf = t.titleTf;
      const norm = k1 * (1 - bb + (bb * (lengths[row * 2 + 1] as number)) / titleAvg);
      s = t.titleIdf * (d + (tf * (k1 + 1)) / (tf + norm));
    }
    return s;
  };

  /** Rows holding a term of order[seedFrom..n) were scored by the seed pass (n: none yet). */
  let seedFrom = n;
  const run = (dynamic: boolean) => {
    for (;;) {
      // The next row of any essential term.
      let row = END;
      for (let i = e; i < n; i++) {
        const r = (order[i] as Term).cursor.row;
        if (r < row) row = r;
      }
      if (row === END) break;
      let partial = 0;
      let matched = 0;
      for (let i = e; i < n; i++) {
        const t = order[i] as Term;
        const c = t.cursor;
        if (c.row === row) {
          c.take(row);
          t.textTf = c.textTf;
          t.titleTf = c.titleTf;
          partial += t.times * scoreOf(t, row);
          matched++;
        } else {
          t.textTf = 0;
          t.titleTf = 0;
        }
      }
      if (accept !== null && !accept(row)) continue;
      if (seeded(Math.max(e, seedFrom))) continue;
      // Non-essential terms, highest bound first, while the row can still reach the threshold.
      let pruned = false;
      for (let j = e - 1; j >= 0; j--) {
        if ((partial * SAFETY + (prefix[j + 1] as number)) * (matched + j + 1) * SAFETY < theta) {
          pruned = true;
          break;
        }
        const t = order[j] as Term;
        t.cursor.lookup(row);
        t.textTf = t.cursor.textTf;
        t.titleTf = t.cursor.titleTf;
        if (t.textTf > 0 || t.titleTf > 0) {
          partial += t.times * scoreOf(t, row);
          matched++;
        }
      }
      if (pruned || seeded(seedFrom)) continue;
      // Exact: the exhaustive scorer's sum in query order, its match factor, its first-match key.
      let total = 0;
      let firstKey = -1;
      for (let ti = 0; ti < positions.length; ti++) {
        const t = positions[ti];
        if (t === undefined || (t.textTf === 0 && t.titleTf === 0)) continue;
        total += scoreOf(t, row);
        if (firstKey === -1) firstKey = ti * 2 + (t.textTf > 0 ? 0 : 1);
      }
      const score = total * matched;
      if (score < theta) continue;
      top.push(row, score, firstKey * 2 ** 31 + row);
      const next = top.threshold;
      if (next > theta) {
        theta = next;
        if (dynamic) advanceEssential();
      }
    }
  };

  // Seed pass: the rows of the highest-bound (rarest) terms, up to SEED_FRACTION of the rows,
  // scored exactly with every other term looked up, give a k-th score before anything else
  // is read; the main pass then starts with the low-bound (common) terms non-essential, so
  // their postings are never decoded, only looked up (skip data) for the rows that can
  // still make the top k, and skips the rows the seed pass scored.
  if (n > 1) {
    let s = n - 1;
    let seedRows = rowsOf(order[s] as Term);
    while (s > 1 && seedRows + rowsOf(order[s - 1] as Term) <= rows * seedFraction) {
      s--;
      seedRows += rowsOf(order[s] as Term);
    }
    order.forEach((t, i) => {
      t.cursor = t.source.cursor(i >= s);
    });
    e = s;
    run(false);
    seedFrom = s;
    e = 0;
    advanceEssential();
    // Every row holding an essential term was scored, or no row can reach the k-th score.
    if (e >= seedFrom) return hitsOf(top);
  }
  order.forEach((t, i) => {
    t.cursor = t.source.cursor(i >= e);
  });
  run(true);
  return hitsOf(top);
}
