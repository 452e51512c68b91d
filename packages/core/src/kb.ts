import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import type { EmbedDtype, Embedder } from '@newsrag/embed';
import { answerQueryText, answer as answerQuestion } from './answer/answer.js';
import { type WarmSummary, warmSentenceVectors } from './answer/sentence-vectors.js';
import { DEFAULTS, type KnowledgeBaseOptions, parseKnowledgeBaseOptions } from './config.js';
import { modelFacts, NewsragError, type NewsragErrorCode, newsragError } from './errors.js';
import type { EvalQuestion } from './eval/questions.js';
import { evaluate as evaluateQuestions } from './eval/run.js';
import type { EvalReport } from './eval/score.js';
import type { IndexJob, IndexWorkerMessage } from './index-worker.js';
import { runIndex } from './indexer.js';
import { resolveEmbedder } from './model.js';
import { search as searchIndex } from './retrieve/search.js';
import type { IndexReader, IndexStore } from './store/contract.js';
import { collectionCounts, type LabelCount, languageCounts } from './store/filter.js';
import { type IndexEngine, openIndexStore } from './store/select.js';
import type { DuplicateGroup } from './syndication/groups.js';
import { syndicationOf } from './syndication/reader.js';
import { timeline as timelineOf } from './timeline/timeline.js';
import type { Timeline } from './timeline/types.js';
import type {
  Answer,
  AnswerOptions,
  ArticleRecord,
  IndexOptions,
  IndexStats,
  IndexSummary,
  KnowledgeBase,
  Passage,
  SearchMode,
  SearchOptions,
} from './types.js';
import { startWorker } from './workers.js';

/** How long an indexing thread may take to exit after its last message before it is terminated. */
const WORKER_EXIT_GRACE_MS = 30_000;

/**
 * Opens a knowledge base: an index folder and the embedder that built it.
 *
 * With no `embedder`, one is created from `model` (default `auto`: the model the
 * index was built with; for a new index the real default model when it is cached
 * or the hub can be reached, else the offline stand-in, announced through `onNotice`).
 *
 * @throws NewsragError `BAD_OPTIONS` for invalid options, `INDEX_MODEL_MISMATCH` when the
 * index was built by another model, `INDEX_CORRUPT` for an unreadable index
 *
 * @example
 * ```ts
 * const kb = await openKnowledgeBase({ indexDir: '.newsrag', model: 'standin' });
 * await kb.index(['data/articles']);
 * const a = await kb.answer('What gifts did Putin and Kim exchange?');
 * console.log(a.answer, a.citations);
 * await kb.close();
 * ```
 */
export async function openKnowledgeBase(options: KnowledgeBaseOptions = {}): Promise<KnowledgeBase> {
  const opts = parseKnowledgeBaseOptions(options);
  const store: IndexStore =
    options.store ??
    (await openIndexStore(opts.indexDir, {
      engine: opts.engine,
      newEngine: DEFAULTS.newEngine,
      onNotice: options.onNotice,
    }));
  const reader = options.rebuild ? null : await store.open();
  const ownsEmbedder = options.embedder === undefined;
  const embedder =
    options.embedder ??
    (await resolveEmbedder({
      model: opts.model,
      dtype: opts.dtype,
      modelDir: opts.modelDir,
      indexFingerprint: reader?.manifest.fingerprint ?? null,
      onNotice: options.onNotice,
      inWorker: options.embedInWorker,
    }));
  if (reader && reader.manifest.fingerprintId !== embedder.fingerprintId) {
    if (ownsEmbedder) await embedder.dispose();
    throw modelMismatch(store.location, reader, embedder);
  }
  // Indexing in a worker needs a model the worker can create too, and a store it can open by engine name.
  // A server engine's location is shown with its password masked, so a worker could not reopen it: it indexes here.
  const engine =
    options.store || (store.engine !== 'folder' && store.engine !== 'sqlite')
      ? undefined
      : (store.engine as IndexEngine);
  const worker: WorkerSpec | null =
    options.indexInWorker && ownsEmbedder && engine !== undefined
      ? { model: opts.model, dtype: opts.dtype, modelDir: opts.modelDir, engine }
      : null;
  return new FolderKnowledgeBase(
    store,
    embedder,
    reader,
    ownsEmbedder,
    options.rebuild ?? false,
    worker,
    !options.store,
  );
}

/** How an indexing worker creates the knowledge base's embedder. */
interface WorkerSpec {
  model: string;
  dtype: EmbedDtype;
  modelDir: string | undefined;
  engine: IndexEngine;
}

/**
 * How long a replaced snapshot stays open for questions that started on it before it is
 * closed (its database connection and read transaction released).
 */
const SNAPSHOT_GRACE_MS = 60_000;

function modelMismatch(location: string, reader: IndexReader, embedder: Embedder): NewsragError {
  return newsragError('INDEX_MODEL_MISMATCH', {
    index: location,
    built: modelFacts(reader.manifest),
    inUse: modelFacts(embedder),
  });
}

class FolderKnowledgeBase implements KnowledgeBase {
  /** Swapped in one assignment when a new generation is complete; questions use whichever they saw first. */
  private reader: IndexReader | null;
  /** Serialises index runs within this process (other processes are kept out by the store's lock). */
  private indexing: Promise<unknown> = Promise.resolve();
  /** The indexing thread while one runs, so `close()` can ask it to stop. */
  private indexThread: Worker | null = null;
  private closed = false;
  /** The snapshot refresh in flight, shared by the questions that arrive meanwhile. */
  private refreshing: Promise<void> | null = null;
  /** Questions (answers, searches) running now; a warm-up waits for none. */
  private inFlight = 0;
  private readonly idleWaiters = new Set<() => void>();
  /** Replaced snapshots in their grace period (see SNAPSHOT_GRACE_MS), closed at once by `close()`. */
  private readonly retired = new Map<IndexReader, NodeJS.Timeout>();

  constructor(
    private readonly store: IndexStore,
    readonly embedder: Embedder,
    reader: IndexReader | null,
    private readonly ownsEmbedder: boolean,
    /** Set when opened for a rebuild: the first `index()` replaces the index instead of updating it. */
    private rebuildNext: boolean,
    /** Set: `index()` runs in a worker thread (see `indexInWorker`). */
    private readonly worker: WorkerSpec | null = null,
    /** Set when the store was opened here (not given by the caller): `close()` closes it too. */
    private readonly ownsStore = false,
  ) {
    this.reader = reader;
  }

  get location(): string {
    return this.store.location;
  }

  index(paths: string[], options: IndexOptions = {}): Promise<IndexSummary> {
    this.assertOpen();
    const run = this.indexing.then(async () => {
      const rebuild = options.rebuild ?? this.rebuildNext;
      if (this.worker) {
        const summary = await this.indexInWorker(this.worker, paths, options, rebuild);
        this.rebuildNext = false;
        return summary;
      }
      const { summary, reader } = await runIndex({
        store: this.store,
        embedder: this.embedder,
        paths,
        prune: options.prune ?? false,
        rebuild,
        onProgress: options.onProgress,
        followExternalSymlinks: options.followExternalSymlinks ?? false,
        current: this.reader,
      });
      if (reader) this.swapReader(reader);
      this.groupCopies();
      this.rebuildNext = false;
      return summary;
    });
    this.indexing = run.catch(() => undefined);
    return run;
  }

  /** Runs one index in a worker thread; then loads the new generation, if one was written. */
  private async indexInWorker(
    spec: WorkerSpec,
    paths: string[],
    options: IndexOptions,
    rebuild: boolean,
  ): Promise<IndexSummary> {
    const job: IndexJob = {
      indexDir: this.store.location,
      ...spec,
      indexFingerprint: this.reader?.manifest.fingerprint ?? null,
      fingerprintId: this.embedder.fingerprintId,
      paths: paths.map((p) => path.resolve(p)),
      prune: options.prune ?? false,
      rebuild,
      followExternalSymlinks: options.followExternalSymlinks ?? false,
    };
    const worker = startWorker('index-worker', job);
    this.indexThread = worker;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const outcome = await new Promise<{ summary: IndexSummary; generation: number | null }>((resolve, reject) => {
      let settled = false;
      worker.on('message', (m: IndexWorkerMessage) => {
        if (m.type === 'progress') options.onProgress?.(m.progress);
        else if (m.type === 'done') {
          settled = true;
          resolve({ summary: m.summary, generation: m.generation });
        } else {
          settled = true;
          reject(
            m.code !== null
              ? new NewsragError(m.code as NewsragErrorCode, m.message)
              : new Error(`indexing failed in its worker: ${m.message}`),
          );
        }
      });
      worker.on('error', (error) => {
        settled = true;
        reject(error);
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`the indexing worker stopped unexpectedly (exit code ${code})`));
      });
    }).finally(async () => {
      // Let the thread end by itself (it has released its ONNX session); terminate only a stuck one.
      await Promise.race([exited, sleep(WORKER_EXIT_GRACE_MS, undefined, { ref: false })]);
      await worker.terminate();
      if (this.indexThread === worker) this.indexThread = null;
    });
    if (outcome.generation !== null && outcome.generation !== this.reader?.manifest.generation) {
      const reader =
        this.reader && this.store.refresh ? await this.store.refresh(this.reader) : await this.store.open();
      if (reader) this.swapReader(reader);
    }
    this.groupCopies();
    return outcome.summary;
  }

  /** Takes a new snapshot; the old one is released once questions already using it are done. */
  private swapReader(next: IndexReader): void {
    const old = this.reader;
    this.reader = next;
    if (old && old !== next && old.close) {
      const timer = setTimeout(() => {
        this.retired.delete(old);
        old.close?.();
      }, SNAPSHOT_GRACE_MS).unref();
      this.retired.set(old, timer);
    }
  }

  async search(question: string, options: SearchOptions = {}): Promise<Passage[]> {
    return this.asQuestion(async () => {
      const { passages } = await searchIndex(await this.freshReader(), this.embedder, question, options);
      return passages;
    });
  }

  async answer(question: string, options: AnswerOptions = {}): Promise<Answer> {
    return this.asQuestion(async () => answerQuestion(await this.freshReader(), this.embedder, question, options));
  }

  primeQuery(question: string, options: Pick<AnswerOptions, 'conversation'> = {}): void {
    if (this.closed || !this.embedder.primeQuery) return;
    let query: string;
    try {
      query = answerQueryText(question, options);
    } catch (error) {
      // An empty question: answer() reports it to whoever asks; priming has nothing to embed.
      if (error instanceof NewsragError && error.code === 'BAD_QUESTION') return;
      throw error;
    }
    this.embedder.primeQuery(query);
  }

  /** Counts `run` as a question in flight (see {@link FolderKnowledgeBase.warm}). */
  private async asQuestion<T>(run: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await run();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of [...this.idleWaiters]) wake();
    }
  }

  /** Resolves once no question is in flight, after a turn of the event loop (so a burst's next question gets in first). */
  private async idle(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.inFlight === 0) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.idleWaiters.delete(wake);
          resolve();
        };
        this.idleWaiters.add(wake);
      });
    }
  }

  async warm(options: { maxSentences?: number } = {}): Promise<WarmSummary> {
    const reader = await this.freshReader().catch(() => null);
    // No index yet, or closed before it began: nothing to warm (stopped only when closed).
    // A server engine's reader holds no passages to warm from (they are read per question).
    if (!reader || reader.prepare) return { embedded: 0, cached: 0, stopped: this.closed };
    try {
      return await warmSentenceVectors(reader, this.embedder, {
        ...(options.maxSentences !== undefined ? { max: options.maxSentences } : {}),
        idle: () => this.idle(),
        // A closed knowledge base, or a new generation, ends it (what it cached stays cached for the new one).
        shouldStop: () => this.closed || this.reader !== reader,
      });
    } catch (error) {
      // Closed while a batch ran: the embedder is gone, which is how a warm-up ends then.
      if (this.closed) return { embedded: 0, cached: 0, stopped: true };
      throw error;
    }
  }

  async timeline(topic: string): Promise<Timeline> {
    return timelineOf(await this.freshReader(), this.embedder, topic);
  }

  async evaluate(questions: readonly EvalQuestion[], options: { mode?: SearchMode } = {}): Promise<EvalReport> {
    return evaluateQuestions({
      reader: await this.freshReader(),
      embedder: this.embedder,
      questions,
      mode: options.mode ?? 'hybrid',
    });
  }

  articles(): ArticleRecord[] {
    this.assertOpen();
    return this.reader?.articles() ?? [];
  }

  collections(): LabelCount[] {
    this.assertOpen();
    return collectionCounts(this.reader?.articles() ?? []);
  }

  languages(): LabelCount[] {
    this.assertOpen();
    return languageCounts(this.reader?.articles() ?? []);
  }

  /** Groups the new generation's copies now, as part of indexing, rather than in the first question after it. */
  private groupCopies(): void {
    if (this.reader) syndicationOf(this.reader);
  }

  nearDuplicateGroups(): DuplicateGroup[] {
    this.assertOpen();
    return this.reader ? syndicationOf(this.reader).groups : [];
  }

  async stats(options: { check?: boolean } = {}): Promise<IndexStats> {
    const reader = this.currentReader();
    const m = reader.manifest;
    return {
      location: this.store.location,
      ...(this.store.engine ? { engine: this.store.engine } : {}),
      model: m.fingerprint.modelId,
      fingerprintId: m.fingerprintId,
      articles: reader.articleCount,
      chunks: reader.chunkCount,
      dimensions: m.dimensions,
      bytesOnDisk: await this.store.sizeOnDisk(),
      updatedAt: m.updatedAt,
      generation: m.generation,
      ...(options.check ? { check: await this.store.check() } : {}),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A running index stops after its current batch (the index keeps its last generation):
    // ending the process with onnxruntime busy in a thread would abort it instead.
    this.indexThread?.postMessage({ type: 'stop' });
    await this.indexing;
    this.reader?.close?.();
    this.reader = null;
    for (const [reader, timer] of this.retired) {
      clearTimeout(timer);
      reader.close?.();
    }
    this.retired.clear();
    if (this.ownsStore) await this.store.close?.();
    if (this.ownsEmbedder) await this.embedder.dispose();
  }

  /**
   * The current snapshot, first switched to what another process committed since it was
   * taken (one cheap generation read per question; a new snapshot only after a commit), so
   * `newsrag index` run beside a bot is seen by the bot's next answer. Questions running
   * together share one refresh. Not while opened for a rebuild (the index may be unreadable).
   */
  private async freshReader(): Promise<IndexReader> {
    this.assertOpen();
    if (this.store.committedGeneration && !this.rebuildNext) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = null;
      });
      await this.refreshing;
    }
    return this.currentReader();
  }

  private async refresh(): Promise<void> {
    const committed = await this.store.committedGeneration?.();
    if (committed === null || committed === undefined || committed === this.reader?.manifest.generation) return;
    // From the changes since the current snapshot when the store can (SQLite), else a full open.
    const next = this.reader && this.store.refresh ? await this.store.refresh(this.reader) : await this.store.open();
    if (!next || this.closed || next.manifest.generation === this.reader?.manifest.generation) {
      next?.close?.();
      return;
    }
    if (next.manifest.fingerprintId !== this.embedder.fingerprintId) {
      // Rebuilt by another process for another model: this embedder cannot search it.
      next.close?.();
      throw modelMismatch(this.store.location, next, this.embedder);
    }
    this.swapReader(next);
  }

  private currentReader(): IndexReader {
    this.assertOpen();
    if (!this.reader) {
      throw newsragError('INDEX_NOT_FOUND', { index: this.store.location });
    }
    return this.reader;
  }

  private assertOpen(): void {
    if (this.closed)
      throw newsragError('BAD_OPTIONS', {
        subject: 'This knowledge base',
        problem: 'is closed',
        fix: 'open a new one',
      });
  }
}
