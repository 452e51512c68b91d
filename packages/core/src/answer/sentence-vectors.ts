import type { Embedder } from '@newsrag/embed';
import { LRUCache } from 'lru-cache';
import type { IndexReader } from '../types.js';

/**
 * Sentence vectors kept per index reader and embedder, at most this many (384 floats each:
 * 4,096 sentences ≈ 6 MB). Questions about one story keep retrieving the same passages,
 * whose sentences then cost nothing to score again.
 */
export const SENTENCE_CACHE_SIZE = 4096;

// Weak keys: a cache lives exactly as long as its reader and embedder (a new index
// generation is a new reader, so stale sentences never leak into it).
const caches = new WeakMap<IndexReader, WeakMap<Embedder, LRUCache<string, Float32Array>>>();

function cacheFor(reader: IndexReader, embedder: Embedder, capacity: number): LRUCache<string, Float32Array> {
  let byEmbedder = caches.get(reader);
  if (!byEmbedder) {
    byEmbedder = new WeakMap();
    caches.set(reader, byEmbedder);
  }
  let cache = byEmbedder.get(embedder);
  if (!cache) {
    cache = new LRUCache<string, Float32Array>({ max: capacity });
    byEmbedder.set(embedder, cache);
  }
  return cache;
}

/**
 * Document embeddings of `texts` (in order), embedding only the ones not seen before with
 * this reader and embedder, in one batch. Keyed by the sentence text, so the same sentence
 * in two overlapping passages is embedded once.
 */
export async function embedSentences(
  reader: IndexReader,
  embedder: Embedder,
  texts: readonly string[],
  capacity = SENTENCE_CACHE_SIZE,
): Promise<Float32Array[]> {
  const cache = cacheFor(reader, embedder, capacity);
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
