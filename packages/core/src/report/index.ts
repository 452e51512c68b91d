export { greedyClusters } from './cluster.js';
export { REPORT_DEFAULTS } from './defaults.js';
export {
  type ParsedLog,
  parseFeedbackLog,
  parseQuestionLog,
  questionLogLine,
  readFeedbackLog,
  readQuestionLog,
  redactIds,
} from './log.js';
export { buildReport } from './report.js';
export type {
  CitedArticle,
  FeedbackVote,
  QuestionLogEntry,
  Report,
  ReportDay,
  ReportOptions,
  UnansweredCluster,
} from './types.js';
