/** Evaluation: question sets, scoring by the shared rules, and runs over an index. */
export { type DateScore, scoreDates } from './dates.js';
export {
  evaluateFollowUps,
  type FollowUpConversation,
  type FollowUpReport,
  type FollowUpTurnScore,
  formatFollowUpReport,
  parseConversations,
  readConversations,
} from './followups.js';
export { type EvalQuestion, parseQuestions, readQuestions } from './questions.js';
export { type EvaluateParams, evaluate, formatReport } from './run.js';
export {
  type EvalReport,
  firstHitRank,
  isHit,
  MAX_PASSAGE_CHARS,
  normalizeForScoring,
  type QuestionOutcome,
  type QuestionScore,
  type ScoreReport,
  scoreQuestion,
  scoreQuestions,
} from './score.js';
