import type { Embedder } from '@newsrag/embed';
import { LRUCache } from 'lru-cache';
import { articleRows } from '../retrieve/article-rows.js';
import type { IndexReader } from '../store/contract.js';
import { sentenceSpansOf } from '../text/memo.js';
import { warmQuoteDates } from './format.js';

/**
 * Sentence vectors kept per embedder, at most this many (384 floats each: 4,096 sentences ≈
 * 6 MB). Questions about one story keep retrieving the same passages, whose sentences then
 * cost nothing to score again.
 */
export const SENTENCE_CACHE_SIZE = 4096;

// Keyed by the embedder alone (weakly: a cache lives as long as its embedder): a sentence's
// vector depends on the text and the model, not on the index generation it was read from. So
// the sentences a bot warmed at start, or embedded for earlier questions, stay cached when a
// feed refresh commits a new generation (a new reader), which used to start from nothing.
const caches = new WeakMap<Embedder, LRUCache<string, Float32Array>>();

function cacheFor(embedder: Embedder, capacity: number): LRUCache<string, Float32Array> {
  let cache = caches.get(embedder);
  if (!cache) {
    cache = new LRUCache<string, Float32Array>({ max: capacity });
    caches.set(embedder, cache);
  }
  return cache;
}

/**
 * Document embeddings of `texts` (in order), embedding only the ones not seen before with
 * this embedder, in one batch. Keyed by the sentence text, so the same sentence in two
 * overlapping passages, or in two generations of the index, is embedded once. `capacity`
 * applies when the embedder's cache is made (its first use).
 */
export async function embedSentences(
  embedder: Embedder,
  texts: readonly string[],
  capacity = SENTENCE_CACHE_SIZE,
): Promise<Float32Array[]> {
  const cache = cacheFor(embedder, capacity);
  const out: (Float32Array | undefined)[] = texts.map((t) => cache.get(t));
  const missing = [...new Set(texts.filter((_, i) => out[i] === undefined))];
  if (missing.length > 0) {
    const vectors = await embedder.embedDocuments(missing);
    const fresh = new Map<string, Float32Array>();
    missing.forEach((t, i) => {
      const v = vectors[i];
      if (!v) throw new Error(`internal: the embedder returned ${vectors.length} vectors for ${missing.length} texts`);
      fresh.set(t, v);
      cache.set(t, v);
    });
    texts.forEach((t, i) => {
      out[i] ??= fresh.get(t);
    });
  }
  return out as Float32Array[];
}

/** Letters and digits a sentence needs to be a candidate (as in `candidates.ts` and `search.ts`). */
const MIN_SENTENCE_CHARS = 12;

/**
 * The sentences answers embed, newest articles first (by their date, undated last, then by
 * index order, later first), each once, at most `max`. Pure over the reader.
 */
export function sentencesToWarm(reader: IndexReader, max: number): { text: string; articleId: string }[] {
  const rows = articleRows(reader);
  const order = reader
    .articles()
    .map((a, i) => ({ id: a.id, date: a.meta.date ?? '', i }))
    .sort((a, b) => (a.date === b.date ? b.i - a.i : a.date < b.date ? 1 : -1));
  const out = new Map<string, { text: string; articleId: string }>();
  for (const { id } of order) {
    for (const row of rows.get(id) ?? []) {
      const text = reader.chunk(row).text;
      for (const span of sentenceSpansOf(text)) {
        const sentence = text.slice(span.start, span.end);
        if (sentence.replace(/[^\p{L}\p{N}]/gu, '').length < MIN_SENTENCE_CHARS) continue;
        if (!out.has(sentence)) out.set(sentence, { text: sentence, articleId: id });
        if (out.size >= max) return [...out.values()];
      }
    }
  }
  return [...out.values()];
}

/** How a warm-up of the sentence cache ended. */
export interface WarmSummary {
  /** Sentences embedded now (the others were cached already). */
  embedded: number;
  /** Sentences in the embedder's sentence cache afterwards. */
  cached: number;
  /** Stopped early (`shouldStop`), before every sentence was cached. */
  stopped: boolean;
}

/**
 * Fills the embedder's sentence cache with `reader`'s sentences ahead of questions (see {@link sentencesToWarm}), a
 * small batch at a time, and works out each sentence's dates as a quote (see `withDates`). A question about a story nobody asked about yet otherwise embeds
 * ~18 of its passages' sentences while its asker waits: with a crowd of different questions
 * that, not the query, is most of the model's work. Before each batch it waits for
 * `idle()` (questions in flight go first) and stops once `shouldStop()` is true.
 * Each batch is its own run of passes (an explicit batch size), so it never joins, and so
 * never delays, the coalesced passes of live questions by more than one small batch.
 */
export async function warmSentenceVectors(
  reader: IndexReader,
  embedder: Embedder,
  options: {
    max?: number;
    batchSize?: number;
    idle?: () => Promise<void>;
    shouldStop?: () => boolean;
    capacity?: number;
  } = {},
): Promise<WarmSummary> {
  const capacity = options.capacity ?? SENTENCE_CACHE_SIZE;
  const cache = cacheFor(embedder, capacity);
  const batchSize = options.batchSize ?? 16;
  const missing = sentencesToWarm(reader, Math.min(options.max ?? capacity, capacity)).filter(
    (s) => !cache.has(s.text),
  );
  let embedded = 0;
  for (let i = 0; i < missing.length; i += batchSize) {
    await options.idle?.();
    if (options.shouldStop?.()) return { embedded, cached: cache.size, stopped: true };
    const batch = missing.slice(i, i + batchSize).filter((s) => !cache.has(s.text));
    if (batch.length === 0) continue;
    const vectors = await embedder.embedDocuments(
      batch.map((s) => s.text),
      { batchSize },
    );
    batch.forEach((s, j) => {
      const v = vectors[j];
      if (v) cache.set(s.text, v);
    });
    // A quote's dates (chrono-node) cost as much of the event loop as the rest of its answer.
    warmQuoteDates(reader, batch);
    embedded += batch.length;
  }
  return { embedded, cached: cache.size, stopped: false };
}
