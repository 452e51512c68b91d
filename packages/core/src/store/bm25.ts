import MiniSearch, { type Options } from 'minisearch';
import { indexAnalyzer } from '../text/analyzers.js';
import type { Chunk } from '../types.js';
import { lineRanges } from './manifest.js';

/** One BM25 document: a chunk (by id, so documents survive row shifts between generations), its text and its article's title. */
interface Bm25Doc {
  id: string;
  text: string;
  title: string;
}

/**
 * MiniSearch options; the same object must be used to build and to load an index. Terms are
 * `indexAnalyzer`'s (its `split` is MiniSearch's default tokenizer).
 */
export const BM25_OPTIONS: Options<Bm25Doc> = {
  idField: 'id',
  fields: ['text', 'title'],
  storeFields: [],
  tokenize: indexAnalyzer.split,
  processTerm: indexAnalyzer.normalizeTerm,
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

/** Marks the first line of a line-delimited BM25 file (see {@link serialiseBm25}). */
const BM25_FORMAT = 'newsrag-bm25-lines/1';

/** The large keyed parts of MiniSearch's `toJSON()`, written in batches of entries. */
const KEYED_PARTS = ['documentIds', 'fieldLength', 'storedFields'] as const;
type KeyedPart = (typeof KEYED_PARTS)[number];

/** The private state {@link serialiseBm25} walks instead of materialising all of `toJSON()` at once. */
interface SerialisableInternals {
  _documentCount: number;
  _nextId: number;
  _documentIds: Map<number, unknown>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _storedFields: Map<number, unknown>;
  _dirtCount: number;
  _index: Iterable<[string, Map<number, Map<number, number>>]>;
}

/**
 * Serialises `index` as lines (each ending in `\n`), exactly MiniSearch's `toJSON()`
 * cut into pieces so no single string comes near V8's ~512 MB limit:
 * line 1 is a header `{format, documentCount, nextId, fieldIds, averageFieldLength,
 * dirtCount, serializationVersion, counts}`; then `["documentIds"|"fieldLength"|"storedFields", {shortId: value, …}]`
 * lines of at most `batchEntries` entries; then one `["index", term, {fieldId: {shortId: tf}}]`
 * line per term. `counts` (entries per part, terms) lets the reader detect a cut-off file.
 * Reads MiniSearch 7's private fields; `bm25.corpus.test.ts` pins the result to `toJSON()`.
 */
export function* serialiseBm25(index: Bm25Index, batchEntries = 10_000): Generator<string> {
  // Private fields on purpose: toJSON() would build the whole serialised index at once.
  const m = index as unknown as SerialisableInternals;
  if (!(m._documentIds instanceof Map) || !(m._fieldLength instanceof Map) || !(m._storedFields instanceof Map)) {
    throw new Error('serialiseBm25: MiniSearch internals changed; update bm25.ts');
  }
  const maps: Record<KeyedPart, Map<number, unknown>> = {
    documentIds: m._documentIds,
    fieldLength: m._fieldLength,
    storedFields: m._storedFields,
  };
  const terms = (m._index as unknown as { size: number }).size;
  const header = {
    format: BM25_FORMAT,
    documentCount: m._documentCount,
    nextId: m._nextId,
    fieldIds: m._fieldIds,
    averageFieldLength: m._avgFieldLength,
    dirtCount: m._dirtCount,
    serializationVersion: 2,
    counts: {
      documentIds: maps.documentIds.size,
      fieldLength: maps.fieldLength.size,
      storedFields: maps.storedFields.size,
      index: terms,
    },
  };
  yield `${JSON.stringify(header)}\n`;
  for (const part of KEYED_PARTS) {
    let batch: Record<string, unknown> = {};
    let n = 0;
    for (const [key, value] of maps[part]) {
      batch[key] = value;
      if (++n === batchEntries) {
        yield `${JSON.stringify([part, batch])}\n`;
        batch = {};
        n = 0;
      }
    }
    if (n > 0) yield `${JSON.stringify([part, batch])}\n`;
  }
  for (const [term, fieldIndex] of m._index) {
    const data: Record<string, Record<string, number>> = {};
    for (const [fieldId, freqs] of fieldIndex) data[fieldId] = Object.fromEntries(freqs);
    yield `${JSON.stringify(['index', term, data])}\n`;
  }
}

/** The header line of {@link serialiseBm25}. */
interface Bm25Header {
  format: string;
  documentCount: number;
  nextId: number;
  fieldIds: Record<string, number>;
  averageFieldLength: number[];
  dirtCount: number;
  serializationVersion: number;
  counts: Record<KeyedPart | 'index', number>;
}

function isHeader(v: unknown): v is Bm25Header {
  const h = v as Partial<Bm25Header> | null;
  return (
    typeof h === 'object' &&
    h !== null &&
    h.format === BM25_FORMAT &&
    typeof h.documentCount === 'number' &&
    typeof h.counts === 'object' &&
    h.counts !== null &&
    [...KEYED_PARTS, 'index' as const].every((k) => typeof h.counts?.[k] === 'number')
  );
}

/**
 * Loads an index written by {@link serialiseBm25}, given as bytes (may exceed V8's string
 * limit) or text. Throws a plain Error saying what is wrong (the caller names the file):
 * a cut-off last line, a bad line, missing entries, or the pre-line-format single JSON object.
 */
export function loadBm25(data: Uint8Array | string): MiniSearch<Bm25Doc> {
  const buf =
    typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length === 0) throw new Error('the file is empty');
  const lines = lineRanges(buf);
  if (!lines) throw new Error('truncated (the last line is incomplete)');
  const { starts, ends } = lines;
  const parseLine = (i: number): unknown => {
    try {
      return JSON.parse(buf.toString('utf8', starts[i], ends[i]));
    } catch (error) {
      throw new Error(`line ${i + 1} is not valid JSON (${(error as Error).message})`);
    }
  };
  const header = parseLine(0);
  if (!isHeader(header)) {
    throw new Error(`line 1 is not a ${BM25_FORMAT} header (an index written by an older newsrag?)`);
  }
  const parts: Record<KeyedPart, Record<string, unknown>> = { documentIds: {}, fieldLength: {}, storedFields: {} };
  const seen: Record<KeyedPart | 'index', number> = { documentIds: 0, fieldLength: 0, storedFields: 0, index: 0 };
  const index: [string, Record<string, Record<string, number>>][] = [];
  for (let i = 1; i < starts.length; i++) {
    const parsed = parseLine(i);
    const line: unknown[] = Array.isArray(parsed) ? parsed : [];
    const kind = line[0];
    if (kind === 'index' && typeof line[1] === 'string' && typeof line[2] === 'object' && line[2] !== null) {
      index.push([line[1], line[2] as Record<string, Record<string, number>>]);
      seen.index++;
    } else if ((KEYED_PARTS as readonly unknown[]).includes(kind) && typeof line[1] === 'object' && line[1] !== null) {
      const part = kind as KeyedPart;
      const target = parts[part];
      const entries = line[1] as Record<string, unknown>;
      for (const key in entries) {
        target[key] = entries[key];
        seen[part]++;
      }
    } else {
      throw new Error(`line ${i + 1} is not a BM25 entry`);
    }
  }
  for (const k of [...KEYED_PARTS, 'index' as const]) {
    if (seen[k] !== header.counts[k]) {
      throw new Error(`has ${seen[k]} ${k} entries, its header says ${header.counts[k]} (truncated?)`);
    }
  }
  return MiniSearch.loadJS<Bm25Doc>(
    {
      documentCount: header.documentCount,
      nextId: header.nextId,
      fieldIds: header.fieldIds,
      averageFieldLength: header.averageFieldLength,
      dirtCount: header.dirtCount,
      serializationVersion: header.serializationVersion,
      // Values are as serialiseBm25 wrote them from the same MiniSearch fields.
      documentIds: parts.documentIds,
      fieldLength: parts.fieldLength as Record<string, number[]>,
      storedFields: parts.storedFields,
      index,
    },
    BM25_OPTIONS,
  );
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

/**
 * How many documents a one-word query for `word` matches, i.e.
 * `index.search(word).length`, without scoring anything: `word` is tokenized and
 * processed as a query is, and the documents holding any resulting term in any
 * field are counted once each.
 *
 * MiniSearch has no public document-frequency API, so this reads its private index (see
 * {@link MiniSearchInternals}); `bm25.corpus.test.ts` pins it against `search`, and the shape
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
  const terms = new Set(indexAnalyzer.terms(word));
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
