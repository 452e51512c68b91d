/**
 * @newsrag/core: news articles in, cited answers out.
 * Start with {@link openKnowledgeBase}; the lower-level pieces are exported for
 * tools and benchmarks that need them.
 */
export * from './types.js';
export { NewsragError, type NewsragErrorCode } from './errors.js';
export { openKnowledgeBase } from './kb.js';
export { DEFAULTS, envDefaults, type KnowledgeBaseOptions } from './config.js';
export { readArticles, type ReadOptions, type ReadResult } from './articles/read.js';
export { splitSentences, type Span } from './chunk/sentences.js';
export { chunkArticle, type ChunkOptions } from './chunk/pack.js';
export { embeddingText, headerText } from './chunk/header.js';
export { FolderIndexStore, FolderIndexReader, SCHEMA_VERSION, type FolderIndexStoreOptions } from './store/index.js';
export { runIndex, planIndex, type RunIndexParams, type RunIndexResult } from './indexer.js';
export { search, reciprocalRankFusion, SEARCH_DEFAULTS, type RetrievalOptions, type SearchResult } from './retrieve/index.js';
export { answer, calibrationFor, CALIBRATIONS, type AnswerCalibration } from './answer/index.js';
export { readQuestions, parseQuestions, evaluate, type EvalQuestion, type EvalReport } from './eval/index.js';
