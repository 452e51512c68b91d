import MiniSearch from 'minisearch';
import { type Bm25Index, processTerm } from './bm25.js';
import { TopK } from './topk.js';

/**
 * The parts of MiniSearch 7's private state the scorer reads (see `search`/`termResults`
 * in its source): `_index` term → field id → (short doc id → term frequency),
 * `_fieldLength` short doc id → length per field, `_avgFieldLength` per field,
 * `_documentCount`, `_documentIds` short id → id, `_fieldIds` field → id.
 */
interface Internals {
  _index: { get(term: string): Map<number, Map<number, number>> | undefined };
  _documentIds: Map<number, string>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _nextId: number;
  _options: { fields: string[]; searchOptions?: { bm25?: { k: number; b: number; d: number } } };
}

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
const DEFAULT_BM25 = { k: 1.2, b: 0.7, d: 0.5 };

function internalsOf(index: Bm25Index): Internals {
  // Reaching into private fields on purpose (MiniSearch has no top-k API); checked here,
  // and bm25-topk.test.ts pins the results against `search`.
  const i = index as unknown as Internals;
  if (
    typeof i._index?.get !== 'function' ||
    !(i._documentIds instanceof Map) ||
    !(i._fieldLength instanceof Map) ||
    !Array.isArray(i._avgFieldLength) ||
    typeof i._documentCount !== 'number' ||
    typeof i._nextId !== 'number' ||
    !Array.isArray(i._options?.fields)
  ) {
    throw new Error('Bm25TopK: MiniSearch internals changed; update store/bm25-topk.ts');
  }
  return i;
}

/**
 * BM25 top-k over a loaded MiniSearch index, with exactly MiniSearch's scores and order
 * (`search(query, { combineWith: 'OR' })` then the first k), but without building a result
 * object for every matching document and sorting them all: scores are summed into typed
 * arrays and a k-heap keeps the best. On a 100k-chunk index a common query word matches
 * tens of thousands of chunks, which `search` turns into as many objects.
 *
 * Valid for an index with no discarded documents (`dirtCount === 0`, as a loaded
 * generation is) and the plain options newsrag uses (OR, no prefix/fuzzy/boosts); the
 * reader falls back to `search` otherwise. One instance per index; not re-entrant (searches
 * are synchronous).
 */
export class Bm25TopK {
  private readonly ix: Internals;
  private readonly fields: number[];
  private readonly params: { k: number; b: number; d: number };
  /** Per short doc id: running score, this term's score, the term that last touched it, first-match position, distinct terms matched. */
  private readonly total: Float64Array;
  private readonly termScore: Float64Array;
  private readonly termStamp: Int32Array;
  private readonly firstSeen: Int32Array;
  private readonly matchedTerms: Int32Array;
  /** Short doc ids in first-match order (MiniSearch's result order before its stable sort). */
  private readonly order: Int32Array;
  /** Per field (as in `fields`), per short doc id: BM25's length norm `k·(1 − b + b·len/avg)`, computed once. */
  private readonly lengthNorm: Float64Array[];

  private readonly documentCount: number;

  constructor(index: Bm25Index) {
    this.ix = internalsOf(index);
    this.documentCount = this.ix._documentCount;
    this.fields = this.ix._options.fields.map((f) => this.ix._fieldIds[f] as number);
    this.params = this.ix._options.searchOptions?.bm25 ?? DEFAULT_BM25;
    const n = this.ix._nextId;
    this.total = new Float64Array(n);
    this.termScore = new Float64Array(n);
    this.termStamp = new Int32Array(n);
    this.firstSeen = new Int32Array(n).fill(-1);
    this.matchedTerms = new Int32Array(n);
    this.order = new Int32Array(n);
    const { k, b } = this.params;
    this.lengthNorm = this.fields.map((f) => {
      const norm = new Float64Array(n);
      const avg = this.ix._avgFieldLength[f] as number;
      // Same operations in the same order as MiniSearch's calcBM25Score, so scores stay bit-identical.
      for (const [doc, lengths] of this.ix._fieldLength) norm[doc] = k * (1 - b + (b * (lengths[f] as number)) / avg);
      return norm;
    });
  }

  /**
   * True while the index is as this scorer assumes: nothing discarded, added or removed since
   * it was made (the length norms and array sizes were computed then).
   */
  usable(): boolean {
    return (
      (this.ix as unknown as Bm25Index).dirtCount === 0 &&
      this.ix._nextId === this.total.length &&
      this.ix._documentCount === this.documentCount
    );
  }

  /** Every live document as (short id, document id). */
  documents(): IterableIterator<[number, string]> {
    return this.ix._documentIds.entries();
  }

  /**
   * The best `k` documents for `query` (terms OR-ed), as (short doc id, score) pairs, best
   * first; ties keep MiniSearch's order. `accept(shortId)` filters documents (after scoring,
   * as MiniSearch's `filter` does).
   */
  search(query: string, k: number, accept: ((shortId: number) => boolean) | null): { doc: number; score: number }[] {
    const { ix, fields, total, termScore, termStamp, firstSeen, matchedTerms, order } = this;
    const { k: k1, d } = this.params;
    const terms: string[] = [];
    for (const token of tokenize(query)) {
      const t = processTerm(token);
      if (t) terms.push(t);
    }
    let seen = 0;
    const distinct = new Set<string>();
    const termDocs: number[] = [];
    terms.forEach((term, ti) => {
      const byField = ix._index.get(term);
      if (!byField) return;
      // A repeated query term adds its score again but counts once in the quality factor, as in MiniSearch.
      const firstTime = !distinct.has(term);
      distinct.add(term);
      const stamp = ti + 1;
      // MiniSearch's termResults: per field, BM25 with that field's document frequency and mean length.
      fields.forEach((f, fi) => {
        const postings = byField.get(f);
        if (!postings || postings.size === 0) return;
        const matching = postings.size;
        const idf = Math.log(1 + (ix._documentCount - matching + 0.5) / (matching + 0.5));
        const norm = this.lengthNorm[fi] as Float64Array;
        for (const [doc, tf] of postings) {
          const s = idf * (d + (tf * (k1 + 1)) / (tf + (norm[doc] as number)));
          if (termStamp[doc] !== stamp) {
            termStamp[doc] = stamp;
            termScore[doc] = s;
            termDocs.push(doc);
          } else {
            termScore[doc] = (termScore[doc] as number) + s;
          }
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
