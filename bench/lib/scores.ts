/** Score rows shared by the quality and peer workers. */
import type { EvalQuestion, KnowledgeBase, SearchMode } from '@newsrag/core';
import type { QuestionOutcome, scoreQuestions } from '@newsrag/core/internals';

/** Each question answered by `kb` in `mode` (top 10), as `scoreQuestions` takes them. */
export async function answerOutcomes(
  kb: KnowledgeBase,
  questions: readonly EvalQuestion[],
  mode: SearchMode,
): Promise<Map<string, QuestionOutcome>> {
  const outcomes = new Map<string, QuestionOutcome>();
  for (const q of questions) {
    const a = await kb.answer(q.question, { k: 10, mode });
    outcomes.set(q.id, { passages: a.passages, abstained: a.abstained, confidence: a.confidence });
  }
  return outcomes;
}

/** The figures of one question set in one mode. */
export interface QualityScore {
  set: string;
  mode: SearchMode;
  n: number;
  hitAt1: number;
  hitAt3: number;
  hitAt5: number;
  mrr10: number;
  /** Unanswerable questions, and how many abstained. */
  unanswerable: number;
  abstainedUnanswerable: number;
  answeredRate: number;
}

/** One question set's eval report as a score row. */
export function qualityScore(set: string, mode: SearchMode, r: ReturnType<typeof scoreQuestions>): QualityScore {
  return {
    set,
    mode,
    n: r.n,
    hitAt1: r.hitAt1,
    hitAt3: r.hitAt3,
    hitAt5: r.hitAt5,
    mrr10: r.mrr10,
    unanswerable: r.abstention.unanswerable,
    abstainedUnanswerable: r.abstention.abstainedUnanswerable,
    answeredRate: r.answeredRate,
  };
}
