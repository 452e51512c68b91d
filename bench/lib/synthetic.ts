/**
 * Synthetic index content for the latency-at-scale runs: chunks whose texts are
 * real BBC sentences at realistic lengths and whose vectors are real chunk vectors
 * mixed with each other and with noise (so they have the real vectors' geometry,
 * not that of uniform random points). Pure, seeded.
 */
import type { ArticleUpsert, Chunk, IndexReader } from '@newsrag/core';
import { prng } from '@newsrag/test-support';

/** The same seeded PRNG the store's tests use (mulberry32). */
export { prng };

/** What the synthetic chunks are drawn from: a real index's texts and vectors. */
export interface SyntheticSource {
  /** Real sentences to build texts from. */
  sentences: readonly string[];
  /** Real chunk text lengths, to draw target lengths from. */
  lengths: readonly number[];
  /** Real chunk vectors, row-major, unit length. */
  vectors: Float32Array;
  dimensions: number;
  /** Model tokens per character of the real chunks, for the stored token counts. */
  tokensPerChar: number;
}

/**
 * What synthetic chunks drawn from `reader`'s index are made of: its chunks' sentences,
 * lengths, vectors and tokens per character. Reads every row, so `reader` must be one whose
 * rows read synchronously (an embedded engine's).
 */
export function syntheticSourceOf(reader: IndexReader): SyntheticSource {
  const d = reader.manifest.dimensions;
  const sentences: string[] = [];
  const lengths: number[] = [];
  let tokens = 0;
  let chars = 0;
  const vectors = new Float32Array(reader.chunkCount * d);
  for (let row = 0; row < reader.chunkCount; row++) {
    const c = reader.chunk(row);
    sentences.push(...splitSentences(c.text));
    lengths.push(c.text.length);
    tokens += c.tokens;
    chars += c.text.length;
    vectors.set(reader.vector(row), row * d);
  }
  return { sentences, lengths, vectors, dimensions: d, tokensPerChar: tokens / chars };
}

/** Sentences of a text (split after . ! ? followed by white space). */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?]["'\u2019\u201D]?)\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 20);
}

/** A text of about `target` characters made of random real sentences. */
export function sampleText(rng: () => number, sentences: readonly string[], target: number): string {
  let text = '';
  while (text.length < target) {
    const s = sentences[Math.floor(rng() * sentences.length)] as string;
    text = text === '' ? s : `${text} ${s}`;
  }
  return text;
}

/**
 * Writes a unit vector into `out` at `offset`: two random real vectors mixed
 * (0.8 / 0.2) plus Gaussian noise of norm about `noise`, renormalised.
 */
export function mixVector(
  rng: () => number,
  source: SyntheticSource,
  out: Float32Array,
  offset: number,
  noise = 0.3,
): void {
  const d = source.dimensions;
  const rows = source.vectors.length / d;
  const a = Math.floor(rng() * rows) * d;
  const b = Math.floor(rng() * rows) * d;
  const sigma = noise / Math.sqrt(d);
  let norm = 0;
  for (let j = 0; j < d; j++) {
    const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const v = 0.8 * (source.vectors[a + j] as number) + 0.2 * (source.vectors[b + j] as number) + sigma * g;
    out[offset + j] = v;
    norm += v * v;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let j = 0; j < d; j++) out[offset + j] = (out[offset + j] as number) * inv;
}

/**
 * `count` synthetic articles of `chunksPerArticle` chunks each (the last one may be
 * shorter so the total is exactly `totalChunks`). Chunk offsets are consistent with
 * an article text made of the chunk texts joined by one space.
 */
export function* syntheticArticles(
  source: SyntheticSource,
  totalChunks: number,
  chunksPerArticle: number,
  seed: number,
): Generator<ArticleUpsert> {
  const rng = prng(seed);
  const d = source.dimensions;
  const topics = ['business', 'entertainment', 'politics', 'sport', 'tech'];
  let made = 0;
  for (let n = 0; made < totalChunks; n++) {
    const count = Math.min(chunksPerArticle, totalChunks - made);
    const id = `synthetic/${topics[n % topics.length]}/${String(n).padStart(7, '0')}`;
    const chunks: Chunk[] = [];
    const vectors = new Float32Array(count * d);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const target = source.lengths[Math.floor(rng() * source.lengths.length)] as number;
      const text = sampleText(rng, source.sentences, target);
      chunks.push({
        id: `${id}#${i}`,
        articleId: id,
        ordinal: i,
        start: offset,
        end: offset + text.length,
        text,
        tokens: Math.max(1, Math.round(text.length * source.tokensPerChar)),
      });
      offset += text.length + 1;
      mixVector(rng, source, vectors, i * d);
    }
    const title = (chunks[0]?.text ?? id).slice(0, 80);
    yield {
      record: {
        id,
        path: `/synthetic/${id}.txt`,
        hash: `synthetic-${seed}-${n}`,
        meta: { title, source: 'synthetic' },
        length: Math.max(0, offset - 1),
        chunkCount: count,
      },
      chunks,
      vectors,
    };
    made += count;
  }
}
