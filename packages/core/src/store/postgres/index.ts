export { type ChunkRow, encodeChunkRow } from './copy.js';
export { DEFAULT_RECALL, EF_PER_K, efSearchFor, MAX_EF_SEARCH, RECALL_CURVE } from './ef-search.js';
export {
  DEFAULT_SCHEMA,
  type DenseSettings,
  isPostgresUrl,
  type PostgresLocation,
  parsePostgresLocation,
} from './location.js';
export {
  DEFAULT_HNSW,
  DEFAULT_HNSW_THRESHOLD,
  type HnswParameters,
  PostgresIndexStore,
  type PostgresIndexStoreOptions,
  type WriteResult,
} from './pg-store.js';
export { MIGRATIONS, SCHEMA_VERSION as POSTGRES_SCHEMA_VERSION } from './schema.js';
export {
  type DenseSearchOptions,
  type FetchedChunk,
  type KeyedScore,
  type LexicalOptions,
  PostgresSnapshot,
} from './snapshot.js';
export { filterCondition, type SqlCondition } from './sql-filter.js';
