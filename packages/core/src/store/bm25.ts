import MiniSearch, { type Options } from 'minisearch';
import type { Chunk } from '../types.js';

/** One BM25 document: a chunk (by id, so documents survive row shifts between generations), its text and its article's title. */
interface Bm25Doc {
  id: string;
  text: string;
  title: string;
}

/** Common English function words; they carry no topic and only slow BM25 down. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by for from had has have he her his i if in into is it its ' +
    'of on or our she so than that the their them then there these they this those to was we were ' +
    'what when where which who will with would you your'
  ).split(' '),
);

/**
 * Light English stemming, deliberately conservative (plurals only) so that exact
 * names stay findable: `companies`→`company`, `boxes`→`box`, `votes`→`vote`;
 * words ending in `ss`, `us`, `is` (`press`, `virus`, `analysis`) are left alone.
 */
export function lightStem(term: string): string {
  if (term.length > 4 && term.endsWith('ies')) return `${term.slice(0, -3)}y`;
  if (term.length > 4 && /(?:ss|x|z|ch|sh)es$/.test(term)) return term.slice(0, -2);
  if (term.length > 3 && term.endsWith('s') && !/(?:ss|us|is)$/.test(term)) return term.slice(0, -1);
  return term;
}

/**
 * Normalises one token for indexing and querying alike: lower-case, accents
 * removed, surrounding punctuation stripped, stop words and single letters dropped
 * (single digits are kept), then {@link lightStem}. The tokenizer is MiniSearch's
 * default (splits on Unicode spaces and punctuation, so `Putin's` → `putin`, `s`).
 */
export function processTerm(term: string): string | null {
  const t = term
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  if (t.length === 0 || STOP_WORDS.has(t)) return null;
  if (t.length === 1 && !/\d/.test(t)) return null;
  return lightStem(t);
}

/** MiniSearch options; the same object must be used to build and to load an index. */
export const BM25_OPTIONS: Options<Bm25Doc> = {
  idField: 'id',
  fields: ['text', 'title'],
  storeFields: [],
  processTerm,
  searchOptions: { combineWith: 'OR', prefix: false, fuzzy: false },
  // Vacuuming runs in the background on its own schedule; writes vacuum explicitly instead.
  autoVacuum: false,
};

function toDoc(c: Chunk, titleOf: (articleId: string) => string | undefined): Bm25Doc {
  return { id: c.id, text: c.text, title: titleOf(c.articleId) ?? '' };
}

/** Builds the BM25 index of `chunks` with `titleOf(articleId)`. */
export function buildBm25(
  chunks: readonly Chunk[],
  titleOf: (articleId: string) => string | undefined,
): MiniSearch<Bm25Doc> {
  const index = new MiniSearch<Bm25Doc>(BM25_OPTIONS);
  index.addAll(chunks.map((c) => toDoc(c, titleOf)));
  return index;
}

/**
 * Updates an index in place (it must be private to the caller): drops the chunks
 * `removed`, adds `added`, and vacuums the discarded postings. Several
 * times faster than {@link buildBm25} when few articles change.
 */
export async function updateBm25(
  index: MiniSearch<Bm25Doc>,
  removed: readonly string[],
  added: readonly Chunk[],
  titleOf: (articleId: string) => string | undefined,
): Promise<void> {
  index.discardAll(removed);
  index.addAll(added.map((c) => toDoc(c, titleOf)));
  // Discarded documents leave postings that MiniSearch still counts in a term's document
  // frequency until it meets them; vacuuming now keeps scores equal to a fresh build.
  if (index.dirtCount > 0) await index.vacuum({ batchSize: 100_000, batchWait: 0 });
}

/** Loads a serialised index written by {@link buildBm25} + `JSON.stringify`. */
export function loadBm25(json: string): MiniSearch<Bm25Doc> {
  return MiniSearch.loadJSON<Bm25Doc>(json, BM25_OPTIONS);
}

export type Bm25Index = MiniSearch<Bm25Doc>;

/**
 * The parts of MiniSearch 7's private state that {@link documentFrequency} reads: `_index`
 * maps a processed term to field id → (short document id → term frequency), and
 * `_documentIds` holds the live documents (discarded ones linger in `_index` until vacuumed).
 */
interface MiniSearchInternals {
  _index: { get(term: string): Map<number, Map<number, number>> | undefined };
  _documentIds: Map<number, unknown>;
  _fieldIds: Record<string, number>;
}

const tokenizeLikeMiniSearch = MiniSearch.getDefault('tokenize') as (text: string, fieldName?: string) => string[];

/**
 * How many documents a one-word query for `word` matches, i.e.
 * `index.search(word).length`, without scoring anything: `word` is tokenized and
 * processed as a query is, and the documents holding any resulting term in any
 * field are counted once each.
 *
 * MiniSearch has no public document-frequency API, so this reads its private index (see
 * {@link MiniSearchInternals}); `bm25.test.ts` pins it against `search`, and the shape
 * check below throws rather than return wrong counts if an upgrade changes the internals.
 */
export function documentFrequency(index: Bm25Index, word: string): number {
  // Reaching into private fields on purpose; the shape is checked right here.
  const internals = index as unknown as MiniSearchInternals;
  if (
    typeof internals._index?.get !== 'function' ||
    !(internals._documentIds instanceof Map) ||
    typeof internals._fieldIds !== 'object'
  ) {
    throw new Error('documentFrequency: MiniSearch internals changed (_index/_documentIds/_fieldIds); update bm25.ts');
  }
  const fieldIds = Object.values(internals._fieldIds);
  const terms = new Set<string>();
  for (const token of tokenizeLikeMiniSearch(word)) {
    const t = processTerm(token);
    if (t) terms.add(t);
  }
  const postings: Map<number, number>[] = [];
  for (const term of terms) {
    const byField = internals._index.get(term);
    for (const f of fieldIds) {
      const docs = byField?.get(f);
      if (docs && docs.size > 0) postings.push(docs);
    }
  }
  let count = 0;
  if (index.dirtCount === 0) {
    // Every posting is live: count each document at its first posting, without building a set.
    for (let i = 0; i < postings.length; i++) {
      const docs = postings[i] as Map<number, number>;
      if (i === 0) {
        count += docs.size;
        continue;
      }
      for (const doc of docs.keys()) {
        let before = false;
        for (let j = 0; j < i && !before; j++) before = (postings[j] as Map<number, number>).has(doc);
        if (!before) count++;
      }
    }
    return count;
  }
  const seen = new Set<number>();
  for (const docs of postings) for (const doc of docs.keys()) if (internals._documentIds.has(doc)) seen.add(doc);
  return seen.size;
}
