/**
 * @newsrag/core: news articles in, cited answers out.
 * Start with {@link openKnowledgeBase}; the lower-level pieces are exported for
 * tools and benchmarks that need them.
 */

export { type AnswerCalibration, answer, CALIBRATIONS, calibrationFor } from './answer/index.js';
export { SENTENCE_CACHE_SIZE, sentencesToWarm, type WarmSummary } from './answer/sentence-vectors.js';
export {
  COLLECTION_NAME_PATTERN,
  COLLECTION_NAME_RULE,
  isCollectionName,
  LANGUAGE_RULE,
  normalizeLanguage,
} from './articles/labels.js';
export { type ReadOptions, type ReadResult, readArticles } from './articles/read.js';
export { embeddingText, headerText } from './chunk/header.js';
export { type ChunkOptions, chunkArticle } from './chunk/pack.js';
export { type Span, splitSentences } from './chunk/sentences.js';
export {
  DEFAULTS,
  envDefaults,
  filesFolderOf,
  INGEST_DEFAULTS,
  type IngestSettings,
  type KnowledgeBaseOptions,
  logPaths,
  parseIngestSettings,
} from './config.js';
export {
  type ContextFrom,
  type ConversationTurn,
  FOLLOW_UP_LIMITS,
  type FollowUp,
  followUpSearchOptions,
  rewriteFollowUp,
  type TimeFrame,
} from './conversation/index.js';
export {
  articleReferenceDate,
  type DatePrecision,
  humanDate,
  resolveTimeExpressions,
  type TimeExpression,
} from './dates/index.js';
export { NewsragError, type NewsragErrorCode } from './errors.js';
export {
  type EvalQuestion,
  type EvalReport,
  evaluate,
  evaluateFollowUps,
  type FollowUpConversation,
  type FollowUpReport,
  type FollowUpTurnScore,
  formatFollowUpReport,
  parseConversations,
  parseQuestions,
  readConversations,
  readQuestions,
} from './eval/index.js';
export { planIndex, type RunIndexParams, type RunIndexResult, runIndex } from './indexer.js';
export {
  addFeed,
  allowList,
  checkUrl,
  every,
  type FeedFormat,
  type FeedItem,
  type IngestDuplicate,
  type IngestOptions,
  type IngestProblem,
  type IngestSummary,
  ingest,
  type ParsedFeed,
  parseFeedDocument,
  parseFeedsText,
  parseInterval,
  readFeeds,
  redactUrl,
  refusedRange,
  removeFeed,
  userAgent,
  validFeedUrl,
} from './ingest/index.js';
export { openKnowledgeBase } from './kb.js';
export * from './report/index.js';
export {
  type RetrievalOptions,
  reciprocalRankFusion,
  SEARCH_DEFAULTS,
  type SearchResult,
  search,
} from './retrieve/index.js';
export { type CopyOptions, type CopySummary, copyIndex } from './store/copy-index.js';
export { collectionCounts, collectionOf, type LabelCount, languageCounts } from './store/filter.js';
export { FolderIndexReader, FolderIndexStore, type FolderIndexStoreOptions, SCHEMA_VERSION } from './store/index.js';
export { displayLocation, isPostgresUrl } from './store/postgres/location.js';
export { type SliceContents, SliceReader } from './store/slice-reader.js';
export {
  type ArticleSignature,
  articleSignature,
  type DecodedSignature,
  type DuplicateGroup,
  decodeSignature,
  estimateJaccard,
  exactJaccard,
  type GroupingOptions,
  NEAR_DUPLICATE_JACCARD,
  nearDuplicateGroups,
  paragraphs,
  SIGNATURE_SCHEME,
  type SignedArticle,
  type Syndication,
  shingleHashes,
  signatureSimilarity,
  syndication,
  withoutHeadline,
} from './syndication/index.js';
export {
  buildTimeline,
  type Timeline,
  type TimelineCitation,
  type TimelineEvent,
  timeline,
  type UndatedEvent,
} from './timeline/index.js';
export * from './types.js';
