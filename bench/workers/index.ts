/**
 * Worker: indexes one corpus into a fresh index folder with one model, in its own
 * process so its peak RSS is the indexing's alone.
 */
import { type IndexStats, type IndexSummary, openKnowledgeBase } from '@newsrag/core';
import { workerMain } from '../lib/child.js';
import type { BenchModel } from '../lib/context.js';

export interface IndexParams {
  corpusDir: string;
  indexDir: string;
  model: BenchModel;
  dtype: 'fp32' | 'q8';
}

export interface IndexResult {
  summary: IndexSummary;
  /** Wall time of `kb.index()` alone (model load excluded). */
  indexMs: number;
  /** Opening the knowledge base, which loads the model. */
  openMs: number;
  stats: IndexStats;
}

workerMain<IndexParams, IndexResult>(async (p) => {
  const t0 = performance.now();
  const kb = await openKnowledgeBase({ indexDir: p.indexDir, model: p.model, dtype: p.dtype });
  const t1 = performance.now();
  try {
    const summary = await kb.index([p.corpusDir]);
    const indexMs = performance.now() - t1;
    const stats = await kb.stats();
    return { summary, indexMs, openMs: t1 - t0, stats };
  } finally {
    await kb.close();
  }
});
