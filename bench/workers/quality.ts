/**
 * Worker: retrieval quality of newsrag on an existing index, per question set and
 * search mode, scored with core's eval scoring (top 10 passages of `answer()`, and
 * its abstentions); optionally the warm latency of a top-10 hybrid `search()`, the
 * figure comparable to a peer's retriever call.
 */
import { readFile } from 'node:fs/promises';
import { openKnowledgeBase, readQuestions, type SearchMode } from '@newsrag/core';
import { scoreQuestions } from '@newsrag/core/internals';
// Scoring is not re-exported from the package root; this is core's own eval scoring.
import { workerMain } from '../lib/child.js';
import type { BenchModel } from '../lib/context.js';
import { answerOutcomes, type QualityScore, qualityScore } from '../lib/scores.js';
import { type Percentiles, percentiles } from '../lib/stats.js';

export interface QualityParams {
  indexDir: string;
  model: BenchModel;
  sets: Array<{ name: string; file: string }>;
  modes: SearchMode[];
  /** When set, also time this many hybrid searches (k = 10) over the queries in this file. */
  timing?: { queriesFile: string; queries: number; warmup: number };
}

export type { QualityScore };

export interface QualityResult {
  scores: QualityScore[];
  searchLatency?: Percentiles;
}

workerMain<QualityParams, QualityResult>(async (p) => {
  const kb = await openKnowledgeBase({ indexDir: p.indexDir, engine: 'auto', model: p.model });
  try {
    const scores: QualityScore[] = [];
    for (const set of p.sets) {
      const questions = await readQuestions(set.file);
      for (const mode of p.modes) {
        const outcomes = await answerOutcomes(kb, questions, mode);
        scores.push(qualityScore(set.name, mode, scoreQuestions(questions, outcomes)));
      }
    }
    if (!p.timing) return { scores };
    const queries = JSON.parse(await readFile(p.timing.queriesFile, 'utf8')) as string[];
    for (let i = 0; i < p.timing.warmup; i++) await kb.search(queries[i % queries.length] as string, { k: 10 });
    const ms: number[] = [];
    for (let i = 0; i < p.timing.queries; i++) {
      const q = queries[(i + p.timing.warmup) % queries.length] as string;
      const t0 = performance.now();
      await kb.search(q, { k: 10, mode: 'hybrid' });
      ms.push(performance.now() - t0);
    }
    return { scores, searchLatency: percentiles(ms) };
  } finally {
    await kb.close();
  }
});
