/**
 * Synthetic, seeded index data for the store's tests and benchmarks: real chunk
 * records and random unit vectors, so the store can be exercised without a model.
 */
import type { EmbedderFingerprint } from '@newsrag/embed';
import type { ArticleUpsert, Chunk, IndexUpdate } from '../types.js';

/** mulberry32: a tiny seeded PRNG, returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random unit vectors (normal components via Box–Muller, then normalised), row-major. */
export function randomUnitVectors(rng: () => number, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      out[r * d + j] = g;
      norm += g * g;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) out[r * d + j] = (out[r * d + j] as number) * inv;
  }
  return out;
}

export function syntheticFingerprint(dimensions: number, modelId = 'test/synthetic'): EmbedderFingerprint {
  return {
    modelId,
    revision: 'local',
    weightsHash: null,
    dtype: 'fp32',
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    documentPrefix: '',
    dimensions,
  };
}

const WORDS = (
  'government minister economy market bank growth election party vote report company shares profit ' +
  'football match team player season club music film award festival technology phone software internet ' +
  'court police health school weather city country president people year week month record plan'
).split(' ');

/** A sentence of common words, deterministic for a given rng state. */
export function sentence(rng: () => number, words = 12): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rng() * WORDS.length)] as string);
  const s = out.join(' ');
  return `${s[0]?.toUpperCase()}${s.slice(1)}.`;
}

export interface SyntheticArticleOptions {
  chunks: number;
  dimensions: number;
  title?: string;
  source?: string;
  date?: string;
  /** Extra text put into chunk 0 (e.g. a rare term to find). */
  inject?: string;
  /** Changes the hash without changing the id. */
  version?: number;
}

/** One article's upsert: chunk texts laid end to end in an article text, one random unit vector each. */
export function syntheticArticle(rng: () => number, id: string, o: SyntheticArticleOptions): ArticleUpsert {
  const chunks: Chunk[] = [];
  let text = '';
  for (let i = 0; i < o.chunks; i++) {
    const body = i === 0 && o.inject ? `${o.inject} ${sentence(rng)}` : `${sentence(rng)} ${sentence(rng)}`;
    if (text) text += ' ';
    const start = text.length;
    text += body;
    chunks.push({ id: `${id}#${i}`, articleId: id, ordinal: i, start, end: text.length, text: body, tokens: 30 });
  }
  return {
    record: {
      id,
      path: `/corpus/${id}.txt`,
      hash: `hash-${id}-${o.version ?? 0}`,
      meta: {
        ...(o.title !== undefined ? { title: o.title } : {}),
        ...(o.source !== undefined ? { source: o.source } : {}),
        ...(o.date !== undefined ? { date: o.date } : {}),
      },
      length: text.length,
      chunkCount: o.chunks,
    },
    chunks,
    vectors: randomUnitVectors(rng, o.chunks, o.dimensions),
  };
}

/** An update adding `upserts` (and removing `removals`) with the synthetic fingerprint. */
export function syntheticUpdate(
  dimensions: number,
  upserts: ArticleUpsert[],
  removals: string[] = [],
  fingerprintId = 'synthetic-fp',
  modelId = 'test/synthetic',
): IndexUpdate {
  return { fingerprint: syntheticFingerprint(dimensions, modelId), fingerprintId, dimensions, upserts, removals };
}
