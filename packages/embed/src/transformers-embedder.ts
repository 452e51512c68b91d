import { LRUCache } from 'lru-cache';
import { batchOf, planBatches, type TokenBatch, toBatchTensors, truncateIds } from './batch.js';
import { EmbedError } from './errors.js';
import { type Forward, inProcessForward, type PooledBatch } from './forward.js';
import { startInferenceWorker, type WorkerLoad } from './inference-worker-client.js';
import type { LoadedModel } from './load.js';
import type { EmbedDocumentsOptions, Embedder, EmbedderFingerprint } from './types.js';

/** What the embedder needs besides the loaded model. */
export interface EmbedderSettings {
  fingerprint: Omit<EmbedderFingerprint, 'dimensions'>;
  batchSize: number;
  /**
   * The sequence length the model was trained for, when it is shorter than its position
   * table (all-MiniLM-L6-v2: 256 of 512); inputs are truncated there, as sentence-transformers does.
   */
  maxTokens?: number;
  /**
   * `worker`: forward passes run in a worker thread, so they never block the caller's event
   * loop (onnxruntime-node's `run` is synchronous behind its Promise). `main`: on this thread.
   */
  inferenceThread?: 'main' | 'worker';
  /** What the inference worker loads the same model with (its folder is `loaded.dir`). */
  workerLoad?: WorkerLoad;
  /** Query vectors remembered by token ids (0: none); see {@link TransformersEmbedder.embedQuery}. */
  queryCacheSize?: number;
}

/** How the embedder runs forward passes, and how it lets go of what runs them. */
interface Engine {
  forward: Forward;
  release: () => Promise<void>;
}

/**
 * Token limit of a model: the smallest of its position table, its tokenizer's limit and
 * the trained sequence length (a preset's, or sentence-transformers' `max_seq_length`);
 * 512 when none says.
 */
export function modelMaxTokens(config: Record<string, unknown>, tokenizerMax: unknown, trainedMax?: number): number {
  const fromConfig = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : Infinity;
  const fromTokenizer = typeof tokenizerMax === 'number' && tokenizerMax > 0 ? tokenizerMax : Infinity;
  const fromTraining = trainedMax !== undefined && trainedMax > 0 ? trainedMax : Infinity;
  const limit = Math.min(fromConfig, fromTokenizer, fromTraining);
  return Number.isFinite(limit) ? limit : 512;
}

/**
 * An {@link Embedder} on a transformers.js tokenizer and ONNX model.
 *
 * The tokenizer and model are called directly rather than through the
 * `feature-extraction` pipeline: texts are tokenised once, sorted by token count and
 * batched so padding stays small, inputs are built straight into int64 arrays, and
 * pooling + normalisation run over `last_hidden_state` here. Every tensor is disposed
 * after use so long runs keep a flat memory profile.
 */
export class TransformersEmbedder implements Embedder {
  readonly dimensions: number;
  readonly maxTokens: number;
  readonly fingerprint: EmbedderFingerprint;
  readonly fingerprintId: string;

  private readonly loaded: LoadedModel;
  private readonly batchSize: number;
  private readonly engine: Engine;
  private readonly padId: number;
  private readonly keepLastToken: boolean;
  private disposed = false;
  private passes = 0;
  /** Runs are queued: one forward pass at a time already uses every intra-op thread. */
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Small requests (a query, an answer's sentences) waiting in the queue to run as one pass;
   * see {@link TransformersEmbedder.embedCoalesced}.
   */
  private openGroup: CoalescedGroup | null = null;
  /** Query vectors (or the pass computing them) by token ids; null when turned off. */
  private readonly queries: LRUCache<string, Promise<Float32Array>> | null;
  private queryHits = 0;
  private primed = 0;

  private constructor(
    loaded: LoadedModel,
    settings: EmbedderSettings,
    dimensions: number,
    fingerprintIdOf: (fp: EmbedderFingerprint) => string,
    engine: Engine,
  ) {
    this.loaded = loaded;
    this.batchSize = settings.batchSize;
    this.engine = engine;
    const cacheSize = settings.queryCacheSize ?? 0;
    this.queries = cacheSize > 0 ? new LRUCache({ max: cacheSize }) : null;
    this.padId = typeof loaded.tokenizer.pad_token_id === 'number' ? loaded.tokenizer.pad_token_id : 0;
    this.keepLastToken = loaded.tokenizer.encode('').length >= 2;
    this.maxTokens = modelMaxTokens(
      loaded.config,
      loaded.tokenizer.model_max_length,
      settings.maxTokens ?? loaded.maxSeqLength,
    );
    this.dimensions = dimensions;
    this.fingerprint = Object.freeze({ ...settings.fingerprint, dimensions });
    this.fingerprintId = fingerprintIdOf(this.fingerprint);
  }

  /**
   * Wraps a loaded model. Runs one short warm-up pass, which also measures the vector
   * width, so a model whose outputs don't fit fails here instead of mid-indexing.
   */
  static async create(
    loaded: LoadedModel,
    settings: EmbedderSettings,
    fingerprintIdOf: (fp: EmbedderFingerprint) => string,
  ): Promise<TransformersEmbedder> {
    const { pooling, normalize } = settings.fingerprint;
    const local: Engine = {
      forward: inProcessForward(loaded, pooling, normalize),
      release: async () => {
        await loaded.model.dispose();
      },
    };
    const probe = new TransformersEmbedder(loaded, settings, 0, fingerprintIdOf, local);
    const [vector] = await probe.embedTokenised([probe.tokenise('warm up')], 1);
    if (vector === undefined || vector.length === 0) {
      throw new EmbedError('EMBED_MODEL_INVALID', `The model in ${loaded.dir} produced no output vector.`);
    }
    if (settings.inferenceThread !== 'worker') {
      return new TransformersEmbedder(loaded, settings, vector.length, fingerprintIdOf, local);
    }
    if (settings.workerLoad === undefined) {
      throw new EmbedError(
        'EMBED_BAD_OPTIONS',
        'internal: an inference worker needs the options to load its model with.',
      );
    }
    // The worker holds the only session from here on; this thread keeps the tokenizer.
    const remote = await startInferenceWorker({ ...settings.workerLoad, localDir: loaded.dir }, pooling, normalize);
    await loaded.model.dispose();
    return new TransformersEmbedder(loaded, settings, vector.length, fingerprintIdOf, remote);
  }

  /** Forward passes run so far (benchmarks and tests read how well requests were batched). */
  get forwardPasses(): number {
    return this.passes;
  }

  /** Queries answered from the query cache, and the vectors it holds now. */
  get queryCache(): { hits: number; size: number; max: number } {
    return { hits: this.queryHits, size: this.queries?.size ?? 0, max: this.queries?.max ?? 0 };
  }

  countTokens(text: string): number {
    this.assertLive();
    return this.loaded.tokenizer.encode(text).length;
  }

  async embedDocuments(texts: readonly string[], options: EmbedDocumentsOptions = {}): Promise<Float32Array[]> {
    this.assertLive();
    const batchSize = options.batchSize ?? this.batchSize;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new EmbedError('EMBED_BAD_OPTIONS', `batchSize must be a positive integer, got ${String(batchSize)}.`);
    }
    const prefix = this.fingerprint.documentPrefix;
    const ids = texts.map((text, i) => {
      if (typeof text !== 'string') {
        throw new EmbedError('EMBED_BAD_OPTIONS', `texts[${i}] must be a string, got ${typeof text}.`);
      }
      return this.tokenise(prefix + text);
    });
    if (options.onProgress === undefined && options.batchSize === undefined && ids.length <= this.batchSize) {
      return this.embedCoalesced(ids);
    }
    return this.embedTokenised(ids, batchSize, options.onProgress);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const ids = this.queryIds(text);
    if (this.queries === null) return this.embedOneQuery(ids);
    const cached = this.queries.get(ids.join(' '));
    if (cached !== undefined) this.queryHits += 1;
    // A copy: callers own what they are given, and the cached vector must stay as computed.
    return (await (cached ?? this.cacheQuery(ids))).slice();
  }

  /**
   * Starts embedding a query that {@link TransformersEmbedder.embedQuery} will be asked for
   * soon, into the query cache, and returns at once. A server that primes each question as it
   * arrives has a crowd's queries join a few full passes (see the embedder's dynamic batching)
   * instead of one small pass per question as each gets its turn. Nothing happens when the
   * query is cached or in flight already, or when the cache is off (`queryCacheSize: 0`: the
   * vector would be computed twice). A failed pass is not remembered; `embedQuery` then tries again.
   *
   * @throws EmbedError `EMBED_DISPOSED` after `dispose()`, `EMBED_BAD_OPTIONS` for a non-string
   */
  primeQuery(text: string): void {
    const ids = this.queryIds(text);
    if (this.queries === null || this.queries.has(ids.join(' '))) return;
    this.primed += 1;
    this.cacheQuery(ids);
  }

  /** Queries primed so far that were neither cached nor in flight (tests read how a burst was batched). */
  get primedQueries(): number {
    return this.primed;
  }

  /** Checks a query and gives its token ids, with the model's query prefix. */
  private queryIds(text: string): number[] {
    this.assertLive();
    if (typeof text !== 'string')
      throw new EmbedError('EMBED_BAD_OPTIONS', `query must be a string, got ${typeof text}.`);
    return this.tokenise(this.fingerprint.queryPrefix + text);
  }

  /**
   * Embeds a query into the cache, keyed by token ids: exactly the inputs that give the same
   * vector share it, whatever the tokenizer folds (case and spacing for uncased models), and
   * nothing else does. The promise is kept, so a crowd asking the same thing at once shares one
   * row of one pass. Call only with the cache on.
   */
  private cacheQuery(ids: number[]): Promise<Float32Array> {
    const cache = this.queries as LRUCache<string, Promise<Float32Array>>;
    const key = ids.join(' ');
    const pending = this.embedOneQuery(ids);
    cache.set(key, pending);
    // A failed pass is not remembered: the next ask tries again. (The handler also keeps a
    // primed query's failure from being an unhandled rejection.)
    pending.catch(() => {
      if (cache.peek(key) === pending) cache.delete(key);
    });
    return pending;
  }

  private async embedOneQuery(ids: number[]): Promise<Float32Array> {
    const [vector] = await this.embedCoalesced([ids]);
    return vector as Float32Array;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.queries?.clear();
    await this.queue.catch(() => undefined);
    await this.engine.release();
  }

  /** Token ids of one text as the model will see them (special tokens added, truncated). */
  tokenise(text: string): number[] {
    return truncateIds(this.loaded.tokenizer.encode(text), this.maxTokens, this.keepLastToken);
  }

  /**
   * Dynamic batching of small requests. While a forward pass runs, the queries and answer
   * sentences of other callers (a crowd of questions to the bot) would each wait for a pass
   * of their own; instead they join one group queued behind it, which runs when the model is
   * free. A group is closed once it starts or holds {@link COALESCE_LIMIT} × `batchSize` texts,
   * so one caller never waits behind an unbounded crowd. Each input is embedded exactly as
   * alone (padding is masked; every pass pools per row).
   *
   * A group runs in arrival order, in passes of at most {@link COALESCED_PASS} texts, and each
   * caller gets its vectors as soon as the pass holding its last text ends, not when the whole
   * group has. On 2 cores a pass of 8 costs the same per text as a pass of 32 (the model is
   * compute-bound per token), so the first askers of a burst get their vectors after one small
   * pass, and their answers run while the model embeds the later askers' queries, instead of
   * every answer waiting for the burst's last query.
   */
  private embedCoalesced(ids: number[][]): Promise<Float32Array[]> {
    if (ids.length === 0) return Promise.resolve([]);
    let group = this.openGroup;
    if (group === null || group.ids.length + ids.length > this.batchSize * COALESCE_LIMIT) {
      const fresh: CoalescedGroup = { ids: [], waiters: [] };
      const run = (): Promise<void> => {
        if (this.openGroup === fresh) this.openGroup = null;
        return this.runGroup(fresh);
      };
      const ran = this.queue.then(run, run);
      this.queue = ran.catch(() => undefined);
      this.openGroup = fresh;
      group = fresh;
    }
    const start = group.ids.length;
    group.ids.push(...ids);
    const joined = group;
    return new Promise<Float32Array[]>((resolve, reject) => {
      joined.waiters.push({ end: start + ids.length, start, resolve, reject });
    });
  }

  /** Runs a coalesced group's passes in arrival order, handing each caller its vectors early. */
  private async runGroup(group: CoalescedGroup): Promise<void> {
    const out = new Array<Float32Array>(group.ids.length);
    const pass = Math.min(this.batchSize, COALESCED_PASS);
    let next = 0;
    try {
      for (let done = 0; done < group.ids.length; ) {
        this.assertLive();
        const indices = Array.from({ length: Math.min(pass, group.ids.length - done) }, (_, i) => done + i);
        const { pooled, width } = await this.runBatch(batchOf(group.ids, indices));
        for (const [row, original] of indices.entries())
          out[original] = pooled.subarray(row * width, (row + 1) * width);
        done += indices.length;
        // Waiters joined in arrival order, so theirs end in order too; none is empty.
        for (let w = group.waiters[next]; w !== undefined && w.end <= done; w = group.waiters[++next]) {
          w.resolve(out.slice(w.start, w.end));
        }
      }
    } catch (error) {
      for (const w of group.waiters.slice(next)) w.reject(error);
      throw error;
    }
  }

  private embedTokenised(
    ids: number[][],
    batchSize: number,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array[]> {
    const run = () => this.runAll(ids, batchSize, onProgress);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Embeds token ids in planned batches, one pass after another; call it from the queue only. */
  private async runAll(
    ids: number[][],
    batchSize: number,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(ids.length);
    let done = 0;
    for (const batch of planBatches(ids, batchSize)) {
      this.assertLive();
      const { pooled, width } = await this.runBatch(batch);
      batch.indices.forEach((original, row) => {
        out[original] = pooled.subarray(row * width, (row + 1) * width);
      });
      done += batch.indices.length;
      onProgress?.(done, ids.length);
    }
    return out;
  }

  /** One forward pass, on this thread or in the inference worker. */
  private async runBatch(batch: TokenBatch): Promise<PooledBatch> {
    this.passes += 1;
    return this.engine.forward(toBatchTensors(batch, this.padId));
  }

  private assertLive(): void {
    if (this.disposed) {
      throw new EmbedError('EMBED_DISPOSED', 'This embedder was disposed; create a new one with createEmbedder().');
    }
  }
}

/** Batches (of `batchSize` texts) one coalesced group may hold before later requests start a new group. */
const COALESCE_LIMIT = 4;
/**
 * Texts per pass of a coalesced group (at most `batchSize`): small enough that a burst's
 * first callers are answered after one short pass, large enough that the per-pass cost stays
 * small beside the texts' own (see {@link TransformersEmbedder} `embedCoalesced`).
 */
export const COALESCED_PASS = 8;

/** One caller of a coalesced group: its texts' span in the group, and its promise's ends. */
interface CoalescedWaiter {
  start: number;
  end: number;
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: unknown) => void;
}

/** Requests queued to run as one set of passes: their token ids, end to end, and their callers. */
interface CoalescedGroup {
  ids: number[][];
  waiters: CoalescedWaiter[];
}
