/**
 * Synthetic, seeded index data for the store's tests and benchmarks: real chunk
 * records and random unit vectors, so the store can be exercised without a model.
 */
import type { ArticleUpsert, Chunk, IndexUpdate } from '@newsrag/core';
import type { EmbedderFingerprint } from '@newsrag/embed';
import { randomUnitVectors } from './random.js';

/** The fingerprint of a made-up fp32 mean-pooled model of `dimensions` dimensions. */
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
