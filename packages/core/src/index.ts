/**
 * @newsrag/core: news articles in, cited answers out.
 *
 * This entry is the contract a user needs: {@link openKnowledgeBase} with its options and
 * results, the errors, reading articles and question sets, evaluation, indexing and ingest,
 * the defaults, and the store contract (`IndexStore`, `IndexReader`) for engine authors.
 * The PostgreSQL engine is `@newsrag/core/postgres` (so that importing this entry never loads
 * `pg`); what tests and benchmarks need beyond this is `@newsrag/core/internals`, which is
 * not semver-stable.
 *
 * @example
 * ```ts
 * import { openKnowledgeBase } from '@newsrag/core';
 * const kb = await openKnowledgeBase({ indexDir: '.newsrag', model: 'standin' });
 * await kb.index(['data/articles']);
 * const a = await kb.answer('What gifts did Putin and Kim exchange?');
 * console.log(a.abstained ? 'no confident answer' : a.answer);
 * await kb.close();
 * ```
 */

export { SENTENCE_CACHE_SIZE } from './answer/sentence-vectors.js';
export { COLLECTION_NAME_PATTERN, isCollectionName, normalizeLanguage } from './articles/labels.js';
// Articles, indexing and collections.
export { type ReadOptions, type ReadResult, readArticles } from './articles/read.js';
export {
  DEFAULTS,
  envDefaults,
  filesFolderOf,
  INGEST_DEFAULTS,
  type IngestSettings,
  type KnowledgeBaseOptions,
  logPaths,
} from './config.js';
export {
  type ContextFrom,
  type ConversationTurn,
  type FollowUp,
  followUpSearchOptions,
  rewriteFollowUp,
  type TimeFrame,
} from './conversation/index.js';
export { type DatePrecision, humanDate, resolveTimeExpressions, type TimeExpression } from './dates/index.js';
// Errors, defaults and settings.
export { NewsragError, type NewsragErrorCode } from './errors.js';
// Evaluation.
export {
  type EvalQuestion,
  type EvalReport,
  evaluate,
  evaluateFollowUps,
  type FollowUpConversation,
  type FollowUpReport,
  type FollowUpTurnScore,
  readConversations,
  readQuestions,
} from './eval/index.js';
export { type RunIndexParams, type RunIndexResult, runIndex } from './indexer.js';
// Ingest: feeds and pages into the articles folder.
export {
  addFeed,
  allowList,
  checkUrl,
  every,
  type IngestDuplicate,
  type IngestOptions,
  type IngestProblem,
  type IngestSummary,
  ingest,
  parseInterval,
  readFeeds,
  removeFeed,
} from './ingest/index.js';
// The knowledge base: open it, then index, search, answer, evaluate.
export { openKnowledgeBase } from './kb.js';
// What admins learn from the bot's logs.
export {
  buildReport,
  type CitedArticle,
  type FeedbackVote,
  type QuestionLogEntry,
  questionLogLine,
  type Report,
  type ReportDay,
  type ReportOptions,
  readFeedbackLog,
  readQuestionLog,
  type UnansweredCluster,
} from './report/index.js';
// The store contract, for engine authors, and the engines a user opens.
export type {
  ArticleUpsert,
  ConsistencyReport,
  IndexReader,
  IndexStore,
  IndexUpdate,
  Manifest,
  ReadPlan,
  ScoredChunk,
  WriteOptions,
} from './store/contract.js';
export { type CopyOptions, type CopySummary, copyIndex } from './store/copy-index.js';
export { collectionCounts, collectionOf, type LabelCount, languageCounts } from './store/filter.js';
export { FolderIndexStore, type FolderIndexStoreOptions } from './store/index.js';
export { displayLocation, isPostgresUrl } from './store/postgres/location.js';
export { type SliceContents, SliceReader } from './store/slice-reader.js';
export { type DuplicateGroup, type GroupingOptions, nearDuplicateGroups } from './syndication/index.js';
export {
  type Timeline,
  type TimelineCitation,
  type TimelineEvent,
  timeline,
  type UndatedEvent,
} from './timeline/index.js';
export type {
  Answer,
  AnswerOptions,
  Article,
  ArticleMeta,
  ArticleRecord,
  Chunk,
  Citation,
  Corroboration,
  IndexOptions,
  IndexProgress,
  IndexStats,
  IndexSummary,
  IngestIssue,
  KnowledgeBase,
  Passage,
  PublishedCopy,
  RetrieverHits,
  SearchFilter,
  SearchMode,
  SearchOptions,
} from './types.js';
