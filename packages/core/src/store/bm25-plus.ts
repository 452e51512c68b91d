import { TopK } from './topk.js';

/** BM25+ parameters, MiniSearch's names: `k` (k1), `b` (length normalisation), `d` (the +δ floor). */
export interface Bm25Params {
  k: number;
  b: number;
  d: number;
}

/** MiniSearch 7's defaults, which the folder store's index uses. */
export const BM25_PLUS_DEFAULTS: Bm25Params = { k: 1.2, b: 0.7, d: 0.5 };

/** One field's postings of a term: document slot → term frequency (`size` is the field's document frequency). */
export type FieldPostings = Iterable<readonly [number, number]> & { readonly size: number };

/**
 * Postings as two typed arrays (the first `size` entries are used), which the scorer walks
 * without an iterator or a pair per entry: the SQLite engine decodes its segments into these.
 */
export class RowPostings implements FieldPostings {
  constructor(
    readonly docs: Int32Array,
    readonly tfs: Int32Array,
    readonly size: number,
  ) {}

  *[Symbol.iterator](): IterableIterator<readonly [number, number]> {
    for (let i = 0; i < this.size; i++) yield [this.docs[i] as number, this.tfs[i] as number];
  }
}

/**
 * BM25's length norm `k·(1 − b + b·len/avg)` of every document slot of one field, in the same
 * operations and order as MiniSearch's `calcBM25Score`, so scores stay bit-identical to it.
 * `lengthOf(slot)` is the field's length (MiniSearch: distinct raw tokens); slots it returns
 * undefined for get NaN and must have no postings in the field.
 */
export function lengthNorms(
  slots: number,
  lengthOf: (slot: number) => number | undefined,
  average: number,
  params: Bm25Params = BM25_PLUS_DEFAULTS,
): Float64Array {
  const { k, b } = params;
  const norm = new Float64Array(slots);
  for (let s = 0; s < slots; s++) {
    const len = lengthOf(s);
    norm[s] = len === undefined ? Number.NaN : k * (1 - b + (b * len) / average);
  }
  return norm;
}

/**
 * MiniSearch's BM25+ ranking (`search(query, { combineWith: 'OR' })`: per term and field,
 * BM25+ with that field's document frequency and mean length, summed per document, times the
 * number of distinct query terms it matched) as a top-k over typed arrays, for any postings
 * source: the folder store's MiniSearch index and the SQLite store's postings give it the
 * same terms and so the same scores. One instance per index snapshot; not re-entrant
 * (searches are synchronous).
 */
export class Bm25PlusScorer {
  /** Per slot: running score, this term's score, the term that last touched it, first-match position, distinct terms matched. */
  private readonly total: Float64Array;
  private readonly termScore: Float64Array;
  private readonly termStamp: Int32Array;
  private readonly firstSeen: Int32Array;
  private readonly matchedTerms: Int32Array;
  /** Slots in first-match order (MiniSearch's result order before its stable sort). */
  private readonly order: Int32Array;

  /**
   * @param slots document slots (ids are `0..slots-1`)
   * @param documentCount live documents, BM25's N
   * @param norms per field (in the order postings are given), {@link lengthNorms}
   */
  constructor(
    readonly slots: number,
    private readonly documentCount: number,
    private readonly norms: readonly Float64Array[],
    private readonly params: Bm25Params = BM25_PLUS_DEFAULTS,
  ) {
    this.total = new Float64Array(slots);
    this.termScore = new Float64Array(slots);
    this.termStamp = new Int32Array(slots);
    this.firstSeen = new Int32Array(slots).fill(-1);
    this.matchedTerms = new Int32Array(slots);
    this.order = new Int32Array(slots);
  }

  /**
   * The best `k` slots for the query `terms` (already analysed, in query order, repeats
   * kept as MiniSearch keeps them), best first; ties keep first-match order.
   * `postingsOf(term)` gives the term's postings per field, undefined where it has none;
   * `accept(slot)` filters after scoring, as MiniSearch's `filter` does.
   */
  search(
    terms: readonly string[],
    postingsOf: (term: string) => readonly (FieldPostings | undefined)[] | undefined,
    k: number,
    accept: ((slot: number) => boolean) | null,
  ): { doc: number; score: number }[] {
    const { total, termScore, termStamp, firstSeen, matchedTerms, order, norms } = this;
    const { k: k1, d } = this.params;
    let seen = 0;
    const distinct = new Set<string>();
    const termDocs: number[] = [];
    terms.forEach((term, ti) => {
      const byField = postingsOf(term);
      if (!byField) return;
      // A repeated query term adds its score again but counts once in the quality factor, as in MiniSearch.
      const firstTime = !distinct.has(term);
      distinct.add(term);
      const stamp = ti + 1;
      byField.forEach((postings, fi) => {
        if (!postings || postings.size === 0) return;
        const matching = postings.size;
        const idf = Math.log(1 + (this.documentCount - matching + 0.5) / (matching + 0.5));
        const norm = norms[fi] as Float64Array;
        const add = (doc: number, tf: number) => {
          const s = idf * (d + (tf * (k1 + 1)) / (tf + (norm[doc] as number)));
          if (termStamp[doc] !== stamp) {
            termStamp[doc] = stamp;
            termScore[doc] = s;
            termDocs.push(doc);
          } else {
            termScore[doc] = (termScore[doc] as number) + s;
          }
        };
        if (postings instanceof RowPostings) {
          const { docs, tfs } = postings;
          for (let i = 0; i < matching; i++) add(docs[i] as number, tfs[i] as number);
        } else {
          for (const [doc, tf] of postings) add(doc, tf);
        }
      });
      // MiniSearch's OR combinator: new documents are appended, known ones add this term's score.
      for (const doc of termDocs) {
        if (firstSeen[doc] === -1) {
          firstSeen[doc] = seen;
          order[seen++] = doc;
          total[doc] = termScore[doc] as number;
          matchedTerms[doc] = 1;
        } else {
          total[doc] = (total[doc] as number) + (termScore[doc] as number);
          if (firstTime) matchedTerms[doc] = (matchedTerms[doc] as number) + 1;
        }
      }
      termDocs.length = 0;
    });
    // Positions in first-match order go into the heap, so its "lower row wins a tie" keeps
    // MiniSearch's stable order among equal scores.
    const top = new TopK(Math.floor(k));
    for (let i = 0; i < seen; i++) {
      const doc = order[i] as number;
      if (accept === null || accept(doc)) top.push(i, (total[doc] as number) * (matchedTerms[doc] as number));
    }
    const out = top.result().map(({ row: i, score }) => ({ doc: order[i] as number, score }));
    for (let i = 0; i < seen; i++) {
      const doc = order[i] as number;
      firstSeen[doc] = -1;
      termStamp[doc] = 0;
    }
    return out;
  }
}
