/**
 * Worker: warm `answer()` latency of two indexes of the same content, in one process, the
 * queries interleaved (each asked of both, which one first alternating), so load from other
 * work on a shared host falls on both alike. Each knowledge base has its own embedder; every
 * query is asked once (the embedder caches query vectors, and a repeat would skip the
 * embedding), so each timed `answer()` embeds its question.
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { type KnowledgeBase, openKnowledgeBase } from '@newsrag/core';
import { workerMain } from '../lib/child.js';
import { type Percentiles, percentiles } from '../lib/stats.js';

export interface EngineLatencyParams {
  /** Label → index location (a folder or a `postgres://` URL). */
  indexes: Record<string, string>;
  model: string;
  dtype: 'fp32' | 'q8';
  /** JSON file with an array of query strings; duplicates are asked once. */
  queriesFile: string;
  /** Queries left out (the dev questions, say). */
  exclude: string[];
  /** Timed queries (fewer when the file has fewer new ones), after `warmup` untimed ones. */
  queries: number;
  warmup: number;
}

/** The answer's own stage timings and the wall time of the call, per index. */
export interface StageLatency {
  embed: Percentiles;
  search: Percentiles;
  answer: Percentiles;
  wall: Percentiles;
}

export interface EngineLatencyResult {
  latency: Record<string, StageLatency>;
  /** 1-minute load average before and after the timed queries. */
  loadAverage: { before: number; after: number };
}

workerMain<EngineLatencyParams, EngineLatencyResult>(async (p) => {
  const skip = new Set(p.exclude);
  const all = JSON.parse(await readFile(p.queriesFile, 'utf8')) as string[];
  const fresh = [...new Set(all)].filter((q) => !skip.has(q));
  const timed = Math.min(p.queries, fresh.length - p.warmup);
  if (timed < 20) throw new Error(`${p.queriesFile} holds ${fresh.length} new queries, too few for ${p.warmup} + 20`);
  const labels = Object.keys(p.indexes);
  const kbs = new Map<string, KnowledgeBase>();
  try {
    for (const label of labels) {
      const indexDir = p.indexes[label] as string;
      kbs.set(label, await openKnowledgeBase({ indexDir, engine: 'auto', model: p.model, dtype: p.dtype }));
    }
    const samples = new Map(
      labels.map((l) => [
        l,
        { embed: [] as number[], search: [] as number[], answer: [] as number[], wall: [] as number[] },
      ]),
    );
    const ask = async (i: number, q: string, record: boolean) => {
      const order = i % 2 === 0 ? labels : [...labels].reverse();
      for (const label of order) {
        const kb = kbs.get(label) as KnowledgeBase;
        const t0 = performance.now();
        const a = await kb.answer(q);
        const wall = performance.now() - t0;
        if (!record) continue;
        const s = samples.get(label) as { embed: number[]; search: number[]; answer: number[]; wall: number[] };
        s.wall.push(wall);
        s.embed.push(a.timings.embedMs);
        s.search.push(a.timings.searchMs);
        s.answer.push(a.timings.answerMs);
      }
    };
    for (const [i, q] of fresh.slice(0, p.warmup).entries()) await ask(i, q, false);
    const before = loadavg()[0] as number;
    for (const [i, q] of fresh.slice(p.warmup, p.warmup + timed).entries()) await ask(i, q, true);
    const after = loadavg()[0] as number;
    const latency: Record<string, StageLatency> = {};
    for (const [label, s] of samples) {
      latency[label] = {
        embed: percentiles(s.embed),
        search: percentiles(s.search),
        answer: percentiles(s.answer),
        wall: percentiles(s.wall),
      };
    }
    return { latency, loadAverage: { before, after } };
  } finally {
    for (const kb of kbs.values()) await kb.close();
  }
});
