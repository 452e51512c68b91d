/**
 * The index store contract: what every engine (the folder store, the SQLite store, a
 * server store later) promises, in one place. `tests/store/conformance.ts` checks it.
 *
 * 1. **Transactional change sets.** {@link IndexStore.write} applies an {@link IndexUpdate}
 *    (articles to add or replace, each with its chunks and vectors, and article ids to
 *    remove) all or nothing: a crash at any moment (kill -9 included) leaves either the
 *    state before or the state after, and the store opens and checks out either way.
 *    An update names only what changes, never the whole index.
 * 2. **Snapshots.** {@link IndexStore.open} returns an {@link IndexReader} over one
 *    consistent state. It keeps answering from that state while writers commit (no
 *    reader ever sees half an update), and it never blocks a writer.
 * 3. **One model per index.** Every vector comes from the embedder named by the index's
 *    fingerprint. A write with another fingerprint is refused with INDEX_MODEL_MISMATCH
 *    (unless it replaces the whole index), as is an open that expects another one.
 * 4. **One writer at a time.** A second writer, in this process or another, gets
 *    INDEX_LOCKED at once instead of waiting or interleaving; a writer that died holding
 *    the lock does not block the next one.
 * 5. **Damage is named.** A file that is not what the engine wrote (truncated, overwritten,
 *    another program's) gives INDEX_CORRUPT naming the file; nothing is silently dropped.
 */
import type { EmbedderFingerprint } from '@newsrag/embed';
import type { ArticleSignature } from '../syndication/signature.js';
import type { ArticleRecord, Chunk, SearchFilter } from '../types.js';

/** What an index says about itself (the folder store's `manifest.json`, the SQLite store's `meta` table). */
export interface Manifest {
  schemaVersion: number;
  /** The embedder that made every vector in the index. */
  fingerprint: EmbedderFingerprint;
  fingerprintId: string;
  dimensions: number;
  articleCount: number;
  chunkCount: number;
  createdAt: string;
  updatedAt: string;
  /** Snapshot counter; each committed write increments it. */
  generation: number;
}

/** One article's new contents for {@link IndexStore.write}. */
export interface ArticleUpsert {
  record: ArticleRecord;
  chunks: Chunk[];
  /** `chunks.length * dimensions` floats, row i is chunk i. */
  vectors: Float32Array;
}

/** A change set applied atomically by {@link IndexStore.write}. */
export interface IndexUpdate {
  fingerprint: EmbedderFingerprint;
  fingerprintId: string;
  dimensions: number;
  /** New or changed articles (a changed article's old chunks are replaced). */
  upserts: ArticleUpsert[];
  /** Article ids to delete (ids the index does not hold are ignored). */
  removals: string[];
  /**
   * New near-duplicate signatures for kept articles (neither upserted nor removed): only
   * their records change, their chunks and vectors stay. How an index written before
   * signatures gets them without re-embedding. Ids the index does not hold are ignored.
   */
  signatures?: { id: string; signature: ArticleSignature }[];
}

/** Options of {@link IndexStore.write}. */
export interface WriteOptions {
  /**
   * Make the index hold exactly the update's articles, ignoring the current contents
   * (which may be corrupt or from another model): what `--rebuild` needs. Still atomic.
   */
  replace?: boolean;
}

/** A scored row of the index, by one retriever. */
export interface ScoredChunk {
  /** Row in the reader's snapshot (stable for that reader). */
  row: number;
  score: number;
}

/**
 * One consistent snapshot of an index. Rows are numbered `0..chunkCount-1` within the
 * snapshot, an article's rows contiguous and in chunk order. Searches are synchronous.
 */
export interface IndexReader {
  readonly manifest: Manifest;
  readonly articleCount: number;
  readonly chunkCount: number;
  article(id: string): ArticleRecord | undefined;
  articles(): ArticleRecord[];
  chunk(row: number): Chunk;
  /** Exact cosine (dot product of unit vectors) top-k. */
  denseSearch(query: Float32Array, k: number, filter?: SearchFilter): ScoredChunk[];
  /** BM25 top-k over chunk texts (and article titles). */
  lexicalSearch(query: string, k: number, filter?: SearchFilter): ScoredChunk[];
  /**
   * Chunks a one-word lexical search for `word` would match (its document frequency).
   * Optional: a store that cannot say cheaply leaves it out and IDF falls back to a search.
   */
  documentFrequency?(word: string): number;
  /** The stored vector of a row (a view, do not modify). */
  vector(row: number): Float32Array;
  /**
   * Releases what the snapshot holds (a database connection, its read transaction).
   * Optional: a reader made of memory alone has nothing to release. Calls after it throw.
   */
  close?(): void;
}

/** Result of {@link IndexStore.check}. */
export interface ConsistencyReport {
  ok: boolean;
  problems: string[];
  articleCount: number;
  chunkCount: number;
}

/** Where an index lives, and the one door to change it. */
export interface IndexStore {
  /** Which engine (`folder`, `sqlite`, …), for `stats` and messages. */
  readonly engine?: string;
  /** Where it lives, for messages (`/path/to/.newsrag`). */
  readonly location: string;
  /** A snapshot of the current state, or null when there is no index yet. */
  open(): Promise<IndexReader | null>;
  /**
   * Applies an update atomically (see the contract above) and returns a reader of the
   * state it committed. @throws INDEX_LOCKED, INDEX_MODEL_MISMATCH, BAD_OPTIONS.
   */
  write(update: IndexUpdate, options?: WriteOptions): Promise<IndexReader>;
  /** Verifies the stored state: counts, vectors, offsets, the lexical index, the engine's own integrity. */
  check(): Promise<ConsistencyReport>;
  /** Bytes the current state takes on disk. */
  sizeOnDisk(): Promise<number>;
  /**
   * The generation {@link open} would load now (null: no index yet), read without loading it,
   * so a long-lived reader can tell cheaply that another process has committed (the bot
   * answering while `newsrag index` runs). Optional: without it, a knowledge base sees only
   * its own writes.
   */
  committedGeneration?(): Promise<number | null>;
  /**
   * A snapshot of the current state built from `previous` (an earlier snapshot of this
   * store), reading only what changed since it, so following another process's small
   * commits costs those commits and not the index. Optional: without it a knowledge base
   * re-opens. `previous` stays usable until closed. Null when there is no index any more.
   */
  refresh?(previous: IndexReader): Promise<IndexReader | null>;
  /** Clears leftovers of a crashed writer (optional; stores without any skip it). */
  tidy?(): Promise<void>;
}
