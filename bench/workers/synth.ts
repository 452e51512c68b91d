/**
 * Worker: writes a synthetic index of N chunks through the real `FolderIndexStore`,
 * drawn from a real index (its chunk texts' sentences and lengths, its vectors mixed
 * with noise) and stamped with that index's embedder fingerprint, so a knowledge base
 * on the same model opens it and real queries run against it.
 */
import { rm } from 'node:fs/promises';
import { type ArticleUpsert, FolderIndexStore } from '@newsrag/core';
import { openIndexStore } from '@newsrag/core/internals';
import { workerMain } from '../lib/child.js';
import { syntheticArticles, syntheticSourceOf } from '../lib/synthetic.js';

export interface SynthParams {
  sourceIndexDir: string;
  targetDir: string;
  chunks: number;
  seed: number;
}

export interface SynthResult {
  chunks: number;
  articles: number;
  writeMs: number;
  bytesOnDisk: number;
  meanChunkChars: number;
}

workerMain<SynthParams, SynthResult>(async (p) => {
  const source = await (await openIndexStore(p.sourceIndexDir, { engine: 'auto' })).open();
  if (!source) throw new Error(`no source index in ${p.sourceIndexDir}`);
  const from = syntheticSourceOf(source);
  const upserts: ArticleUpsert[] = [...syntheticArticles(from, p.chunks, 8, p.seed)];
  const total = upserts.reduce((n, u) => n + u.chunks.reduce((m, c) => m + c.text.length, 0), 0);
  await rm(p.targetDir, { recursive: true, force: true });
  const store = new FolderIndexStore(p.targetDir);
  const t0 = performance.now();
  const reader = await store.write({
    fingerprint: source.manifest.fingerprint,
    fingerprintId: source.manifest.fingerprintId,
    dimensions: from.dimensions,
    upserts,
    removals: [],
  });
  const writeMs = performance.now() - t0;
  return {
    chunks: reader.chunkCount,
    articles: reader.articleCount,
    writeMs,
    bytesOnDisk: await store.sizeOnDisk(),
    meanChunkChars: total / p.chunks,
  };
});
