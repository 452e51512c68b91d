import type { EmbedDtype } from './dtype.js';

export type { EmbedDtype };

/**
 * Everything that identifies how a vector was made. An index stores it and refuses
 * to mix vectors whose fingerprints differ (see {@link fingerprintId}).
 */
export interface EmbedderFingerprint {
  /** Hub model id or preset name, e.g. `Xenova/bge-small-en-v1.5` or `newsrag/standin`. */
  modelId: string;
  /** Hub revision (branch, tag or commit) or, for local folders, `local`. */
  revision: string;
  /** sha256 of the ONNX weights file actually loaded (first 16 hex chars), when known. */
  weightsHash: string | null;
  dtype: EmbedDtype;
  pooling: Pooling;
  normalize: boolean;
  /** Prepended to queries before embedding (bge's retrieval instruction), '' for none. */
  queryPrefix: string;
  /** Prepended to documents before embedding, '' for none. */
  documentPrefix: string;
  dimensions: number;
}

export type Pooling = 'mean' | 'cls';
/** Where forward passes run: the caller's thread, or a worker thread that never blocks its event loop. */
export type InferenceThread = 'main' | 'worker';

/** Progress of a batch embedding, in texts. */
export type EmbedProgress = (done: number, total: number) => void;

export interface EmbedDocumentsOptions {
  /** Texts per forward pass; defaults to the embedder's configured batch size. */
  batchSize?: number;
  onProgress?: EmbedProgress;
}

/**
 * A text embedder. `@newsrag/core` depends only on this interface, so a second
 * implementation (a remote embedding API, say) can be dropped in.
 *
 * Vectors are `Float32Array`s of length {@link Embedder.dimensions}; when
 * `fingerprint.normalize` is true they have unit L2 norm, so a dot product is the cosine.
 */
export interface Embedder {
  readonly dimensions: number;
  /** The most tokens one input may have (longer inputs are truncated by the model). */
  readonly maxTokens: number;
  readonly fingerprint: EmbedderFingerprint;
  /** A short stable string derived from the whole fingerprint (see {@link fingerprintId}). */
  readonly fingerprintId: string;
  /**
   * Embeds documents (passages). Returns one vector per text, in input order.
   * The vectors may be views into one shared buffer.
   */
  embedDocuments(texts: readonly string[], options?: EmbedDocumentsOptions): Promise<Float32Array[]>;
  /** Embeds a search query, with the model's query instruction prefix when it has one. */
  embedQuery(text: string): Promise<Float32Array>;
  /**
   * Optional: starts embedding a query that `embedQuery(text)` will soon be asked for and
   * returns at once, so that queries primed together share forward passes; `embedQuery` then
   * takes the vector from the embedder's query cache. An embedder without a query cache
   * leaves it out (or does nothing), since the vector would be computed twice.
   */
  primeQuery?(text: string): void;
  /**
   * Tokens the model sees for `text` with the model's own tokenizer, including the
   * special tokens ([CLS], [SEP]) but not the document prefix. Synchronous: the
   * tokenizer is loaded by the time the embedder exists.
   */
  countTokens(text: string): number;
  /** Releases the ONNX session. The embedder must not be used afterwards. */
  dispose(): Promise<void>;
}
