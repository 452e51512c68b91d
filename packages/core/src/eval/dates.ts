/** Date accuracy of time questions (those with a `date` field), as the eval README defines it. Pure. */
import type { EvalQuestion } from './questions.js';

/** Date accuracy over the questions that have a `date`. */
export interface DateScore {
  /** Questions with a `date` field. */
  n: number;
  /** Resolved date equal to `date` (same precision); for `date: null`, no date given. */
  correct: number;
  accuracy: number;
  /** Questions whose evidence is undated (`date: null`) that got a date anyway. */
  invented: number;
  perQuestion: { id: string; expected: string | null; got: string | null; correct: boolean }[];
}

/** Scores `when` answers (keyed by question id; missing = no date) against the questions' `date`; null when no question has one. */
export function scoreDates(
  questions: readonly EvalQuestion[],
  when: ReadonlyMap<string, string | null>,
): DateScore | null {
  const timed = questions.filter((q) => q.date !== undefined);
  if (timed.length === 0) return null;
  const perQuestion = timed.map((q) => {
    const expected = q.date ?? null;
    const got = when.get(q.id) ?? null;
    return { id: q.id, expected, got, correct: got === expected };
  });
  const correct = perQuestion.filter((p) => p.correct).length;
  return {
    n: timed.length,
    correct,
    accuracy: correct / timed.length,
    invented: perQuestion.filter((p) => p.expected === null && p.got !== null).length,
    perQuestion,
  };
}
