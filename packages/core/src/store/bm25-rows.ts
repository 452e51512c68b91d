import { BM25_PLUS_DEFAULTS, type Bm25Params } from './bm25-plus.js';
import { TopK } from './topk.js';

/** One field's postings of a term as two typed arrays sorted by row (the first `size` entries are used). */
export class RowPostings {
  constructor(
    readonly docs: Int32Array,
    readonly tfs: Int32Array,
    readonly size: number,
  ) {}
}

/** Bits of a slot's `meta` word that count the distinct query terms it matched. */
const MATCH_BITS = 2 ** 20;

/**
 * MiniSearch's BM25+ over two fields (text, title), exactly as {@link Bm25PlusScorer} computes
 * it (the same floating-point operations in the same order, the same first-match order for
 * ties), for postings given as {@link RowPostings} sorted by row: the SQLite engine's. Built
 * for indexes where a query's postings are spread over a million rows, so each posting's
 * cost is its cache misses: per term one merge walk over both fields (no per-term score
 * array), the length norm computed from the interleaved field lengths (one cache line for
 * both fields) instead of read from two norm arrays, and per row one 16-byte state (running
 * score; first-match position and matched-term count packed in one float64). One instance
 * per snapshot; not re-entrant (searches are synchronous).
 */
export class RowBm25Scorer {
  /** Per row: [running score, (first-match position + 1) × MATCH_BITS + distinct terms matched, 0 = unseen]. */
  private readonly state: Float64Array;
  /** Rows in first-match order. */
  private readonly order: Int32Array;
  /** Scratch: a term's new title-only rows, which MiniSearch appends after its text rows. */
  private readonly pending: Int32Array;

  /**
   * @param rows document rows (`0..rows-1`), also BM25's N
   * @param lengths per row: text length, title length (MiniSearch's field lengths)
   * @param averages mean text and title length
   */
  constructor(
    readonly rows: number,
    private readonly lengths: Uint32Array,
    private readonly averages: readonly [number, number],
    private readonly params: Bm25Params = BM25_PLUS_DEFAULTS,
  ) {
    this.state = new Float64Array(rows * 2);
    this.order = new Int32Array(rows);
    this.pending = new Int32Array(rows);
  }

  /**
   * The best `k` rows for the query `terms` (analysed, in query order, repeats kept), best
   * first; ties keep first-match order. `postingsOf(term)` gives [text, title] postings or
   * undefined; `accept(row)` filters after scoring, as MiniSearch's `filter` does.
   */
  search(
    terms: readonly string[],
    postingsOf: (term: string) => readonly [RowPostings, RowPostings] | undefined,
    k: number,
    accept: ((row: number) => boolean) | null,
  ): { doc: number; score: number }[] {
    const { state, order, pending, lengths } = this;
    const { k: k1, b: bb, d } = this.params;
    const [textAvg, titleAvg] = this.averages;
    const n = this.rows;
    let seen = 0;
    const distinct = new Set<string>();
    for (let ti = 0; ti < terms.length; ti++) {
      const term = terms[ti] as string;
      const byField = postingsOf(term);
      if (!byField) continue;
      // A repeated query term adds its score again but counts once in the quality factor, as in MiniSearch.
      const bump = distinct.has(term) ? 0 : 1;
      distinct.add(term);
      const [text, title] = byField;
      const tn = text.size;
      const un = title.size;
      const textIdf = Math.log(1 + (n - tn + 0.5) / (tn + 0.5));
      const titleIdf = Math.log(1 + (n - un + 0.5) / (un + 0.5));
      const tDocs = text.docs;
      const tTfs = text.tfs;
      const uDocs = title.docs;
      const uTfs = title.tfs;
      let i = 0;
      let j = 0;
      let waiting = 0;
      while (i < tn || j < un) {
        const a = i < tn ? (tDocs[i] as number) : 0x7fffffff;
        const c = j < un ? (uDocs[j] as number) : 0x7fffffff;
        let doc: number;
        let s: number;
        if (a <= c) {
          doc = a;
          const tf = tTfs[i++] as number;
          const norm = k1 * (1 - bb + (bb * (lengths[doc * 2] as number)) / textAvg);
          s = textIdf * (d + (tf * (k1 + 1)) / (tf + norm));
          if (a === c) {
            const tf2 = uTfs[j++] as number;
            const norm2 = k1 * (1 - bb + (bb * (lengths[doc * 2 + 1] as number)) / titleAvg);
            s = s + titleIdf * (d + (tf2 * (k1 + 1)) / (tf2 + norm2));
          }
        } else {
          doc = c;
          const tf = uTfs[j++] as number;
          const norm = k1 * (1 - bb + (bb * (lengths[doc * 2 + 1] as number)) / titleAvg);
          s = titleIdf * (d + (tf * (k1 + 1)) / (tf + norm));
          if (state[doc * 2 + 1] === 0) {
            state[doc * 2] = s;
            state[doc * 2 + 1] = -1; // seen this term, position given below
            pending[waiting++] = doc;
            continue;
          }
        }
        const meta = state[doc * 2 + 1] as number;
        if (meta === 0) {
          state[doc * 2] = s;
          state[doc * 2 + 1] = (seen + 1) * MATCH_BITS + 1;
          order[seen++] = doc;
        } else {
          state[doc * 2] = (state[doc * 2] as number) + s;
          state[doc * 2 + 1] = meta + bump;
        }
      }
      for (let w = 0; w < waiting; w++) {
        const doc = pending[w] as number;
        state[doc * 2 + 1] = (seen + 1) * MATCH_BITS + 1;
        order[seen++] = doc;
      }
    }
    // Positions in first-match order go into the heap, so its "lower row wins a tie" keeps
    // MiniSearch's stable order among equal scores.
    const top = new TopK(Math.floor(k));
    for (let p = 0; p < seen; p++) {
      const doc = order[p] as number;
      if (accept !== null && !accept(doc)) continue;
      const matched = (state[doc * 2 + 1] as number) % MATCH_BITS;
      top.push(p, (state[doc * 2] as number) * matched);
    }
    const out = top.result().map(({ row: p, score }) => ({ doc: order[p] as number, score }));
    for (let p = 0; p < seen; p++) {
      const doc = order[p] as number;
      state[doc * 2 + 1] = 0;
    }
    return out;
  }
}
