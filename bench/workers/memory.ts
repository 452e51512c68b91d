/**
 * Worker: RSS growth over many sequential `answer()` calls on one knowledge base
 * (a leak check). Run with `--expose-gc` so both readings are taken after a full GC.
 */
import { readFile } from 'node:fs/promises';
import { openKnowledgeBase } from '@newsrag/core';
import { workerMain } from '../lib/child.js';

export interface MemoryParams {
  indexDir: string;
  model: 'standin' | 'standin-bge-shape';
  queriesFile: string;
  calls: number;
  warmup: number;
}

export interface MemoryResult {
  calls: number;
  /** RSS after the warm-up (bytes). */
  rssStart: number;
  rssEnd: number;
  heapStart: number;
  heapEnd: number;
  /** RSS every 10% of the calls, to tell a leak (steady climb) from a plateau. */
  trace: Array<{ calls: number; rss: number }>;
  seconds: number;
}

function settle(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

workerMain<MemoryParams, MemoryResult>(async (p) => {
  const queries = JSON.parse(await readFile(p.queriesFile, 'utf8')) as string[];
  const kb = await openKnowledgeBase({ indexDir: p.indexDir, engine: 'auto', model: p.model });
  try {
    for (let i = 0; i < p.warmup; i++) await kb.answer(queries[i % queries.length] as string);
    settle();
    const start = process.memoryUsage();
    const trace: MemoryResult['trace'] = [];
    const step = Math.max(1, Math.floor(p.calls / 10));
    const t0 = performance.now();
    for (let i = 1; i <= p.calls; i++) {
      await kb.answer(queries[i % queries.length] as string);
      if (i % step === 0) trace.push({ calls: i, rss: process.memoryUsage().rss });
    }
    const seconds = (performance.now() - t0) / 1000;
    settle();
    const end = process.memoryUsage();
    return {
      calls: p.calls,
      rssStart: start.rss,
      rssEnd: end.rss,
      heapStart: start.heapUsed,
      heapEnd: end.heapUsed,
      trace,
      seconds,
    };
  } finally {
    await kb.close();
  }
});
