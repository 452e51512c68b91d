/**
 * Worker: opens an existing index once in a fresh process (what a CLI or bot start
 * pays) and reports how long `FolderIndexStore.open()` took.
 */
import { FolderIndexStore } from '@newsrag/core';
import { workerMain } from '../lib/child.js';

export interface LoadParams {
  indexDir: string;
}

export interface LoadResult {
  loadMs: number;
  chunks: number;
}

workerMain<LoadParams, LoadResult>(async (p) => {
  const store = new FolderIndexStore(p.indexDir);
  const t0 = performance.now();
  const reader = await store.open();
  const loadMs = performance.now() - t0;
  if (!reader) throw new Error(`no index in ${p.indexDir}`);
  return { loadMs, chunks: reader.chunkCount };
});
