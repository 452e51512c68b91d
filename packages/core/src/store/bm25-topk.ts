import { indexAnalyzer } from '../text/analyzers.js';
import type { Bm25Index } from './bm25.js';
import { BM25_PLUS_DEFAULTS, Bm25PlusScorer, lengthNorms } from './bm25-plus.js';

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
 * object for every matching document and sorting them all: {@link Bm25PlusScorer} sums
 * scores into typed arrays and a k-heap keeps the best. On a 100k-chunk index a common query
 * word matches tens of thousands of chunks, which `search` turns into as many objects.
 *
 * Valid for an index with no discarded documents (`dirtCount === 0`, as a loaded
 * generation is) and the plain options newsrag uses (OR, no prefix/fuzzy/boosts); the
 * reader falls back to `search` otherwise. One instance per index; not re-entrant (searches
 * are synchronous).
 */
export class Bm25TopK {
  private readonly ix: Internals;
  private readonly fields: number[];
  private readonly scorer: Bm25PlusScorer;
  private readonly documentCount: number;

  constructor(index: Bm25Index) {
    this.ix = internalsOf(index);
    this.documentCount = this.ix._documentCount;
    this.fields = this.ix._options.fields.map((f) => this.ix._fieldIds[f] as number);
    const params = this.ix._options.searchOptions?.bm25 ?? BM25_PLUS_DEFAULTS;
    const n = this.ix._nextId;
    const norms = this.fields.map((f) =>
      lengthNorms(n, (doc) => this.ix._fieldLength.get(doc)?.[f], this.ix._avgFieldLength[f] as number, params),
    );
    this.scorer = new Bm25PlusScorer(n, this.documentCount, norms, params);
  }

  /**
   * True while the index is as this scorer assumes: nothing discarded, added or removed since
   * it was made (the length norms and array sizes were computed then).
   */
  usable(): boolean {
    return (
      (this.ix as unknown as Bm25Index).dirtCount === 0 &&
      this.ix._nextId === this.scorer.slots &&
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
    const terms = indexAnalyzer.terms(query);
    const { ix, fields } = this;
    return this.scorer.search(
      terms,
      (term) => {
        const byField = ix._index.get(term);
        return byField ? fields.map((f) => byField.get(f)) : undefined;
      },
      k,
      accept,
    );
  }
}
