/**
 * Worker: fills one engine's index from the embedded BBC + seeds index and scores the dev sets
 * on it through the public API. `sqlite`: a file copy of the source (the shared index is never
 * written); `postgres`: core's `copyIndex` (no re-embedding: both engines hold the very same
 * chunks and vectors). Then `openKnowledgeBase({ indexDir })` (a folder or a `postgres://`
 * URL) and `answer(q, { k: 10, mode })` for every question, set and mode, scored by core's
 * `scoreQuestions`.
 */
import { cp, rm } from 'node:fs/promises';
import { type CopySummary, copyIndex, openKnowledgeBase, readQuestions, type SearchMode } from '@newsrag/core';
import { SqliteIndexStore, scoreQuestions } from '@newsrag/core/internals';
import { PostgresIndexStore } from '@newsrag/core/postgres';
// Scoring is not re-exported from the package root; this is core's own eval scoring.
import { workerMain } from '../lib/child.js';
import type { EngineScore, QuestionRank } from '../lib/engine-compare.js';
import { answerOutcomes } from '../lib/scores.js';

export interface EngineQualityParams {
  engine: 'sqlite' | 'postgres';
  /** Where this engine's index goes: a scratch folder, or a `postgres://` URL. */
  location: string;
  /** The embedded (SQLite) BBC + seeds index it is filled from; only read. */
  sourceIndexDir: string;
  model: string;
  dtype: 'fp32' | 'q8';
  sets: Array<{ name: string; file: string }>;
  modes: SearchMode[];
}

export interface EngineQualityResult {
  engine: string;
  /** Filling the index: the file copy (sqlite) or `copyIndex` with its verification (postgres). */
  fillMs: number;
  copy?: CopySummary;
  articles: number;
  chunks: number;
  scores: EngineScore[];
  ranks: QuestionRank[];
}

workerMain<EngineQualityParams, EngineQualityResult>(async (p) => {
  const t0 = performance.now();
  let copy: CopySummary | undefined;
  if (p.engine === 'sqlite') {
    await rm(p.location, { recursive: true, force: true });
    await cp(p.sourceIndexDir, p.location, { recursive: true });
  } else {
    const to = new PostgresIndexStore(p.location);
    try {
      copy = await copyIndex(new SqliteIndexStore(p.sourceIndexDir), to, { replace: true });
    } finally {
      await to.close();
    }
  }
  const fillMs = performance.now() - t0;

  const kb = await openKnowledgeBase({ indexDir: p.location, engine: 'auto', model: p.model, dtype: p.dtype });
  try {
    const { articles, chunks } = await kb.stats();
    const scores: EngineScore[] = [];
    const ranks: QuestionRank[] = [];
    for (const set of p.sets) {
      const questions = await readQuestions(set.file);
      for (const mode of p.modes) {
        const outcomes = await answerOutcomes(kb, questions, mode);
        const r = scoreQuestions(questions, outcomes);
        scores.push({
          set: set.name,
          mode,
          n: r.n,
          hitAt5: r.hitAt5,
          mrr10: r.mrr10,
          questions: questions.length,
          abstentionCorrect: r.abstention.correct,
        });
        for (const s of r.perQuestion) {
          ranks.push({ set: set.name, mode, id: s.id, rank: s.firstHitRank, abstained: s.abstained });
        }
      }
    }
    return { engine: p.engine, fillMs, ...(copy ? { copy } : {}), articles, chunks, scores, ranks };
  } finally {
    await kb.close();
  }
});
