import type { Embedder } from '@newsrag/embed';
import { answer } from '../answer/answer.js';
import type { IndexReader } from '../store/contract.js';
import type { Answer, AnswerOptions, SearchMode } from '../types.js';
import { scoreDates } from './dates.js';
import type { EvalQuestion } from './questions.js';
import { type EvalReport, type QuestionOutcome, scoreQuestions } from './score.js';

export type { EvalReport } from './score.js';

/** Parameters of {@link evaluate}. */
export interface EvaluateParams {
  reader: IndexReader;
  embedder: Embedder;
  questions: readonly EvalQuestion[];
  mode: SearchMode;
  /** Passages retrieved per question (default 10, what MRR@10 needs). */
  k?: number;
  /** Further answer options (weights, cap, threshold override…). */
  options?: Omit<AnswerOptions, 'mode' | 'k'>;
  /** Called after each question, e.g. for a progress bar. */
  onAnswer?: (question: EvalQuestion, answer: Answer) => void;
}

/**
 * Runs {@link answer} on every question (sequentially: the embedder is one ONNX session)
 * and scores the passages (top `k`, default 10) and the abstentions by the rules of
 * the shared data's `eval/README.md` (see `scoreQuestions`).
 */
export async function evaluate(params: EvaluateParams): Promise<EvalReport> {
  const { reader, embedder, questions, mode } = params;
  const k = params.k ?? 10;
  const t0 = performance.now();
  const outcomes = new Map<string, QuestionOutcome>();
  const answers: EvalReport['answers'] = {};
  const when = new Map<string, string | null>();
  for (const q of questions) {
    const a = await answer(reader, embedder, q.question, { ...params.options, mode, k });
    outcomes.set(q.id, { passages: a.passages, abstained: a.abstained, confidence: a.confidence });
    answers[q.id] = { answer: a.answer, abstained: a.abstained, confidence: a.confidence, when: a.when ?? null };
    when.set(q.id, a.when ?? null);
    params.onAnswer?.(q, a);
  }
  const dates = scoreDates(questions, when);
  return {
    ...scoreQuestions(questions, outcomes),
    ...(dates ? { dates } : {}),
    mode,
    k,
    model: embedder.fingerprint.modelId,
    seconds: (performance.now() - t0) / 1000,
    answers,
  };
}

/** One line of figures, e.g. for test logs: `hybrid  n=20 hit@1 0.85 hit@3 0.95 hit@5 1.00 MRR@10 0.91 answered 95% abstained 2/2`. */
export function formatReport(label: string, r: EvalReport): string {
  const f = (x: number) => x.toFixed(3);
  return (
    `${label.padEnd(22)} ${r.mode.padEnd(6)} n=${r.n} hit@1 ${f(r.hitAt1)} hit@3 ${f(r.hitAt3)} hit@5 ${f(r.hitAt5)} ` +
    `MRR@10 ${f(r.mrr10)} answered ${(r.answeredRate * 100).toFixed(0)}% ` +
    `abstained(unanswerable) ${r.abstention.abstainedUnanswerable}/${r.abstention.unanswerable} (${r.seconds.toFixed(1)} s)`
  );
}
