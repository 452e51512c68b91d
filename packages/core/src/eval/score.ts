/**
 * Scoring of retrieval and abstention, exactly as the shared data's `eval/README.md` defines it,
 * so every tool scores the same way. Pure functions.
 */
import type { SearchMode } from '../types.js';
import type { EvalQuestion } from './questions.js';

/** Passages longer than this are not real passages and never count as hits. */
export const MAX_PASSAGE_CHARS = 1200;

/** What the scorer needs of a returned passage. */
export interface ScoredPassage {
  articleId: string;
  text: string;
  /** Copies of the article (near-duplicates search showed once): a question about any of them is answered by it. */
  alsoPublishedBy?: readonly { articleId: string }[];
}

/** What the system returned for one question. */
export interface QuestionOutcome {
  /** Best first; only the first 10 matter. */
  passages: readonly ScoredPassage[];
  abstained: boolean;
  confidence?: number;
}

/** The score of one question. */
export interface QuestionScore {
  id: string;
  answerable: boolean;
  /** 1-based rank of the first hit within the top 10, or null (always null when unanswerable). */
  firstHitRank: number | null;
  abstained: boolean;
  /** Unanswerable and abstained, or answerable and answered. */
  outcomeCorrect: boolean;
  confidence?: number;
}

/** Scores of a question set. */
export interface ScoreReport {
  /** Answerable questions scored (hit@k and MRR are over these). */
  n: number;
  hitAt1: number;
  hitAt3: number;
  hitAt5: number;
  mrr10: number;
  /**
   * Outcomes over *all* questions: `correct` = unanswerable questions that abstained
   * plus answerable ones that answered; `wrong` = unanswerable ones that answered plus
   * answerable ones that abstained. `correct + wrong` = number of questions.
   */
  abstention: {
    correct: number;
    wrong: number;
    /** Unanswerable questions, and how many of them abstained. */
    unanswerable: number;
    abstainedUnanswerable: number;
  };
  /** Share of answerable questions that got an answer (did not abstain); 0 when n = 0. */
  answeredRate: number;
  perQuestion: QuestionScore[];
}

/** Lower-case, curly quotes/apostrophes to straight ones, runs of white space to one space. */
export function normalizeForScoring(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/\s+/g, ' ');
}

/**
 * A passage is a hit when it is a real passage (≤ 1,200 chars), comes from one of the
 * question's articles (or from a near-duplicate copy of one, which search shows in its
 * place: the BBC corpus's README asks to count all members of a duplicate pair as relevant)
 * and contains one of its answers (any passage of those articles when `answers` is empty).
 */
export function isHit(question: EvalQuestion, passage: ScoredPassage): boolean {
  if (!question.answerable) return false;
  if (passage.text.length > MAX_PASSAGE_CHARS) return false;
  const fromArticle =
    question.articles.includes(passage.articleId) ||
    (passage.alsoPublishedBy ?? []).some((c) => question.articles.includes(c.articleId));
  if (!fromArticle) return false;
  if (question.answers.length === 0) return true;
  const text = normalizeForScoring(passage.text);
  return question.answers.some((a) => text.includes(normalizeForScoring(a)));
}

/** 1-based rank of the first hit among the first 10 passages, or null. */
export function firstHitRank(question: EvalQuestion, passages: readonly ScoredPassage[]): number | null {
  const top = passages.slice(0, 10);
  const i = top.findIndex((p) => isHit(question, p));
  return i < 0 ? null : i + 1;
}

/** Scores one question. */
export function scoreQuestion(question: EvalQuestion, outcome: QuestionOutcome): QuestionScore {
  const rank = firstHitRank(question, outcome.passages);
  return {
    id: question.id,
    answerable: question.answerable,
    firstHitRank: rank,
    abstained: outcome.abstained,
    outcomeCorrect: question.answerable ? !outcome.abstained : outcome.abstained,
    ...(outcome.confidence !== undefined ? { confidence: outcome.confidence } : {}),
  };
}

/**
 * Scores a question set. `outcomes` is keyed by question id; a question without an
 * outcome is scored as returning nothing and answering nothing.
 */
export function scoreQuestions(
  questions: readonly EvalQuestion[],
  outcomes: ReadonlyMap<string, QuestionOutcome>,
): ScoreReport {
  const perQuestion = questions.map((q) => scoreQuestion(q, outcomes.get(q.id) ?? { passages: [], abstained: true }));
  const answerable = perQuestion.filter((s) => s.answerable);
  const n = answerable.length;
  const share = (pred: (s: QuestionScore) => boolean) => (n === 0 ? 0 : answerable.filter(pred).length / n);
  const hitAt = (k: number) => share((s) => s.firstHitRank !== null && s.firstHitRank <= k);
  const mrr10 = n === 0 ? 0 : answerable.reduce((sum, s) => sum + (s.firstHitRank ? 1 / s.firstHitRank : 0), 0) / n;
  const unanswerable = perQuestion.filter((s) => !s.answerable);
  const correct = perQuestion.filter((s) => s.outcomeCorrect).length;
  return {
    n,
    hitAt1: hitAt(1),
    hitAt3: hitAt(3),
    hitAt5: hitAt(5),
    mrr10,
    abstention: {
      correct,
      wrong: perQuestion.length - correct,
      unanswerable: unanswerable.length,
      abstainedUnanswerable: unanswerable.filter((s) => s.abstained).length,
    },
    answeredRate: share((s) => !s.abstained),
    perQuestion,
  };
}

/** Scores plus what was run. */
export interface EvalReport extends ScoreReport {
  mode: SearchMode;
  k: number;
  model: string;
  /** Wall time of the whole run. */
  seconds: number;
  /** The answers, keyed by question id, for inspection. */
  answers: Record<string, { answer: string | null; abstained: boolean; confidence: number; when?: string | null }>;
  /** Date accuracy, for sets whose questions have a `date` (time questions). */
  dates?: import('./dates.js').DateScore;
}
