export { BM25_OPTIONS } from './bm25.js';
export { checkGeneration } from './check.js';
export { FolderIndexStore, type FolderIndexStoreOptions, type WriteOptions } from './folder-store.js';
export { KILL_POINT_ENV, KILL_POINT_MARKER, type KillPoint } from './kill-point.js';
export { SCHEMA_VERSION } from './manifest.js';
export { FolderIndexReader } from './reader.js';
