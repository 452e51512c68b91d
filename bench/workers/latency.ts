/**
 * Worker: warm query latency of `kb.answer()` on an existing index, with the
 * embedding, search and answer-assembly stages timed separately (the answer's own
 * `timings`) and the whole call timed from outside.
 */
import { readFile } from 'node:fs/promises';
import { openKnowledgeBase } from '@newsrag/core';
import { workerMain } from '../lib/child.js';
import type { BenchModel } from '../lib/context.js';
import { type Percentiles, percentiles } from '../lib/stats.js';

export interface LatencyParams {
  indexDir: string;
  model: BenchModel;
  /** The index's dtype (default fp32): a real model's query is embedded with the same weights. */
  dtype?: 'fp32' | 'q8';
  /** JSON file with an array of query strings. */
  queriesFile: string;
  /** Timed queries (cycling through the file). */
  queries: number;
  /** Untimed queries first, so JIT and caches are warm. */
  warmup: number;
}

export interface LatencyResult {
  chunks: number;
  embed: Percentiles;
  search: Percentiles;
  answer: Percentiles;
  total: Percentiles;
  /** Wall time of the `answer()` call measured by the caller (includes everything). */
  wall: Percentiles;
}

workerMain<LatencyParams, LatencyResult>(async (p) => {
  const queries = JSON.parse(await readFile(p.queriesFile, 'utf8')) as string[];
  if (queries.length === 0) throw new Error(`${p.queriesFile} holds no queries`);
  const kb = await openKnowledgeBase({
    indexDir: p.indexDir,
    engine: 'auto',
    model: p.model,
    dtype: p.dtype ?? 'fp32',
  });
  try {
    const chunks = (await kb.stats()).chunks;
    for (let i = 0; i < p.warmup; i++) await kb.answer(queries[i % queries.length] as string);
    const embed: number[] = [];
    const search: number[] = [];
    const answer: number[] = [];
    const total: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < p.queries; i++) {
      const q = queries[(i + p.warmup) % queries.length] as string;
      const t0 = performance.now();
      const a = await kb.answer(q);
      wall.push(performance.now() - t0);
      embed.push(a.timings.embedMs);
      search.push(a.timings.searchMs);
      answer.push(a.timings.answerMs);
      total.push(a.timings.totalMs);
    }
    return {
      chunks,
      embed: percentiles(embed),
      search: percentiles(search),
      answer: percentiles(answer),
      total: percentiles(total),
      wall: percentiles(wall),
    };
  } finally {
    await kb.close();
  }
});
