/**
 * Worker: opens an existing index once in a fresh process (what a CLI or bot start
 * pays) and reports how long the store's `open()` took (whichever engine the folder holds).
 */
import { openIndexStore } from '@newsrag/core/internals';
import { workerMain } from '../lib/child.js';

export interface LoadParams {
  indexDir: string;
}

export interface LoadResult {
  loadMs: number;
  chunks: number;
}

workerMain<LoadParams, LoadResult>(async (p) => {
  const store = await openIndexStore(p.indexDir, { engine: 'auto' });
  const t0 = performance.now();
  const reader = await store.open();
  const loadMs = performance.now() - t0;
  if (!reader) throw new Error(`no index in ${p.indexDir}`);
  return { loadMs, chunks: reader.chunkCount };
});
