export type { Embedder, EmbedderFingerprint, EmbedDocumentsOptions, EmbedDtype, EmbedProgress, Pooling } from './types.js';
export { EmbedError, type EmbedErrorCode } from './errors.js';
