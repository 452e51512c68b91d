/**
 * Worker: how the dense part of search grows up to 1M chunks, independent of what
 * the store can write. Builds synthetic chunks and vectors in memory (as `synth.ts`
 * does), wraps the first N rows in a real `FolderIndexReader` (BM25 left empty), and
 * times `denseSearch(query, 50)` (50 = search's default candidates) for real query
 * vectors embedded with `standin`.
 */
import { readFile } from 'node:fs/promises';
import type { ArticleRecord, Chunk } from '@newsrag/core';
import { buildBm25, FolderIndexReader, openIndexStore } from '@newsrag/core/internals';
import { createEmbedder } from '@newsrag/embed';
import { workerMain } from '../lib/child.js';
import { type Percentiles, percentiles } from '../lib/stats.js';
import { type SyntheticSource, splitSentences, syntheticArticles } from '../lib/synthetic.js';

export interface DenseScaleParams {
  sourceIndexDir: string;
  sizes: number[];
  queriesFile: string;
  queries: number;
}

export interface DenseScaleResult {
  sizes: Array<{ chunks: number; dense: Percentiles }>;
}

workerMain<DenseScaleParams, DenseScaleResult>(async (p) => {
  const source = await (await openIndexStore(p.sourceIndexDir, { engine: 'auto' })).open();
  if (!source) throw new Error(`no source index in ${p.sourceIndexDir}`);
  const d = source.manifest.dimensions;
  const sentences: string[] = [];
  const lengths: number[] = [];
  const real = new Float32Array(source.chunkCount * d);
  for (let row = 0; row < source.chunkCount; row++) {
    const c = source.chunk(row);
    sentences.push(...splitSentences(c.text));
    lengths.push(c.text.length);
    real.set(source.vector(row), row * d);
  }
  const from: SyntheticSource = { sentences, lengths, vectors: real, dimensions: d, tokensPerChar: 0.25 };
  const max = Math.max(...p.sizes);
  const vectors = new Float32Array(max * d);
  const chunks: Chunk[] = [];
  const articles: ArticleRecord[] = [];
  for (const u of syntheticArticles(from, max, 8, max)) {
    vectors.set(u.vectors, chunks.length * d);
    chunks.push(...u.chunks);
    articles.push(u.record);
  }
  const embedder = await createEmbedder({ model: 'standin', dtype: 'fp32', showProgress: false });
  const texts = (JSON.parse(await readFile(p.queriesFile, 'utf8')) as string[]).slice(0, p.queries);
  const queryVectors: Float32Array[] = [];
  for (const t of texts) queryVectors.push(await embedder.embedQuery(t));
  await embedder.dispose();
  const out: DenseScaleResult['sizes'] = [];
  for (const n of [...p.sizes].sort((a, b) => a - b)) {
    const rows = chunks.slice(0, n);
    const ids = new Set(rows.map((c) => c.articleId));
    const arts = articles.filter((a) => ids.has(a.id));
    const reader = new FolderIndexReader(
      {
        manifest: { ...source.manifest, articleCount: arts.length, chunkCount: n },
        articles: arts,
        chunks: rows,
        vectors: vectors.subarray(0, n * d),
        bm25: buildBm25([], () => undefined),
      },
      'in-memory',
    );
    for (const q of queryVectors.slice(0, 5)) reader.denseSearch(q, 50);
    const ms: number[] = [];
    for (const q of queryVectors) {
      const t0 = performance.now();
      reader.denseSearch(q, 50);
      ms.push(performance.now() - t0);
    }
    out.push({ chunks: n, dense: percentiles(ms) });
  }
  return { sizes: out };
});
