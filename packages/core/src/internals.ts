/**
 * @newsrag/core/internals: the pieces beneath the public API, for newsrag's own tests,
 * benchmarks, scripts and storage engines.
 *
 * NOT semver-stable: any name here may change or go in any release. A user of the library
 * wants `@newsrag/core` (and `@newsrag/core/postgres` for the PostgreSQL engine); the names
 * there are not repeated here.
 */

// Retrieval and answers, below the knowledge base.
export { type AnswerCalibration, answer, CALIBRATIONS, calibrationFor } from './answer/index.js';
export { sentencesToWarm, type WarmSummary } from './answer/sentence-vectors.js';
// Articles: formats, metadata, HTML limits.
export { bodyStart } from './articles/body.js';
export { parseArticleFile } from './articles/formats.js';
export { htmlNestingDepth, MAX_HTML_DEPTH } from './articles/html-depth.js';
export { COLLECTION_NAME_RULE, LANGUAGE_RULE } from './articles/labels.js';
export { findDates, normalizeDate, plainTextMeta } from './articles/metadata.js';
// Chunking.
export { embeddingText, headerText } from './chunk/header.js';
export { type ChunkOptions, chunkArticle } from './chunk/pack.js';
export { type Span, splitSentences } from './chunk/sentences.js';
export { answerJson, formatAnswer } from './cli/format.js';
// Indexing and settings.
export { type ParsedIngestSettings, parseIngestSettings } from './config.js';
export { FOLLOW_UP_LIMITS } from './conversation/index.js';
export { articleReferenceDate } from './dates/index.js';
// Evaluation.
export {
  formatFollowUpReport,
  formatReport,
  parseConversations,
  parseQuestions,
  type QuestionOutcome,
  scoreQuestions,
} from './eval/index.js';
export { normalizeForScoring } from './eval/score.js';
export { planIndex } from './indexer.js';
export { redactUrl, refusedRange } from './ingest/address-policy.js';
// Ingest: feeds, HTTP, politeness.
export { type FeedFormat, type FeedItem, type ParsedFeed, parseFeedDocument } from './ingest/feed.js';
export { parseFeedsText, validFeedUrl } from './ingest/feeds-file.js';
export { type HttpOptions, httpGet } from './ingest/http-fetch.js';
export { PoliteFetcher } from './ingest/polite.js';
export { NEWSRAG_VERSION, userAgent } from './ingest/user-agent.js';
// Report internals.
export {
  greedyClusters,
  type ParsedLog,
  parseFeedbackLog,
  parseQuestionLog,
  REPORT_DEFAULTS,
  redactIds,
} from './report/index.js';
export { type RetrievalOptions, reciprocalRankFusion, type SearchResult, search } from './retrieve/index.js';
// Storage engines and their machinery.
export { buildBm25 } from './store/bm25.js';
export { BM25_PLUS_DEFAULTS } from './store/bm25-plus.js';
export { articleContents } from './store/copy-index.js';
export { allowedArticles } from './store/filter.js';
export { FolderIndexReader, SCHEMA_VERSION } from './store/index.js';
export {
  KILL_POINT_ENV,
  KILL_POINT_MARKER,
  type KillPoint,
  PAUSE_POINT_ENV,
  PAUSE_POINT_MARKER,
} from './store/kill-point.js';
export { acquireWriterLock } from './store/lock.js';
// The PostgreSQL engine's own layout, for its tests (schema.ts imports only pg's types, so
// this entry still never loads `pg`); the engine itself is `@newsrag/core/postgres`.
export { qualified } from './store/postgres/location.js';
export { LOCK_CLASS, TABLE_COLUMNS, writerLockName } from './store/postgres/schema.js';
export { type IndexEngine, openIndexStore, storeFor } from './store/select.js';
export { SQLITE_FILE } from './store/sqlite/schema.js';
export { SqliteIndexStore } from './store/sqlite/sqlite-store.js';
// Syndication: signatures and similarity.
export {
  type ArticleSignature,
  articleSignature,
  type DecodedSignature,
  decodeSignature,
  estimateJaccard,
  exactJaccard,
  NEAR_DUPLICATE_JACCARD,
  paragraphs,
  SIGNATURE_SCHEME,
  type SignedArticle,
  type Syndication,
  shingleHashes,
  signatureSimilarity,
  syndication,
  withoutHeadline,
} from './syndication/index.js';
export { buildTimeline } from './timeline/index.js';
