/**
 * `@newsrag/embed`: text embeddings for newsrag on transformers.js models.
 *
 * The public contract: {@link createEmbedder} and the {@link Embedder} it returns, their
 * option and result types with every default ({@link OPTION_DEFAULTS}), the model presets, pulling and listing cached models, and
 * {@link EmbedError} with its codes. Helpers for tests and benchmarks are in
 * `@newsrag/embed/internals`, which is not part of this contract.
 */
export { AUTO_MODEL } from './auto.js';
export { createEmbedder } from './create.js';
export { EMBED_DTYPES, type EmbedDtype } from './dtype.js';
export { EmbedError, type EmbedErrorCode } from './errors.js';
export {
  type CachedModel,
  listModels,
  type ModelOrigin,
  type PullOptions,
  type PullResult,
  pullModel,
} from './models.js';
export { type EmbedderOptions, type NoticeHandler, OPTION_DEFAULTS } from './options.js';
export { DEFAULT_MODEL, PRESETS, type Preset } from './presets.js';
export type {
  EmbedDocumentsOptions,
  Embedder,
  EmbedderFingerprint,
  EmbedProgress,
  InferenceThread,
  Pooling,
} from './types.js';
