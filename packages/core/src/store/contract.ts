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
 *    another program's) gives INDEX_CORRUPT naming the file (a database engine: the table);
 *    nothing is silently dropped.
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
 * What one question will read from an index whose searches run elsewhere (a database
 * server), for {@link IndexReader.prepare}: both searches and the words whose document
 * frequency its weighting asks.
 */
export interface ReadPlan {
  /** The dense search's query (null: no dense search). */
  queryVector: Float32Array | null;
  /** The lexical search's query (null: no lexical search). */
  lexicalQuery: string | null;
  /** Hits wanted from each search. */
  k: number;
  filter?: SearchFilter;
  /** Surface words whose {@link IndexReader.documentFrequency} will be asked. */
  words: readonly string[];
}

/**
 * One consistent snapshot of an index. Rows are numbered `0..chunkCount-1` within the
 * snapshot, an article's rows contiguous and in chunk order. Searches are synchronous.
 *
 * A reader of a server engine cannot search synchronously: it offers {@link prepare}, whose
 * slice (a reader over the chunks one question reads) answers that question's searches and
 * reads; its own searches and `chunk`/`vector` then throw, and its `articles()` still work.
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
   * Runs the searches of `plan` (on the server, in this snapshot) and fetches every chunk
   * they hit with the rest of its article, vectors included, and the document frequencies
   * of `plan.words`: a reader over that slice, whose row numbers are its own, whose searches
   * return the plan's hits whatever they are asked, and whose `chunkCount` and `articles()`
   * are the whole index's. Present only on readers of server engines.
   */
  prepare?(plan: ReadPlan): Promise<IndexReader>;
  /**
   * For a slice made by {@link prepare}: the reader it was cut from. Caches of what a
   * snapshot holds (sentence vectors, article stems, dates) are kept with that reader, so
   * they outlive the question; caches of row numbers stay with the slice.
   */
  readonly base?: IndexReader;
  /**
   * The stored records, chunks and vectors of articles `ids` (ids not held are left out), for
   * a reader whose `chunk()`/`vector()` cannot be read synchronously (a server engine's): how
   * an index is copied between engines (`copyIndex`). Optional: otherwise they are read by row.
   */
  contents?(ids: readonly string[]): Promise<ArticleUpsert[]>;
  /**
   * The rows of each article, when the reader knows them without a pass over all its rows
   * (a slice holds some articles only). Optional: otherwise they are read off `chunk(row)`.
   */
  articleRows?(): ReadonlyMap<string, readonly number[]>;
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
  /**
   * Releases what the store itself holds (a server engine's connection pool), after its
   * readers are closed. Optional: a store of files holds nothing between calls.
   */
  close?(): Promise<void>;
}
