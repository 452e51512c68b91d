import type { Embedder } from '@newsrag/embed';
import { answer as answerQuestion } from './answer/answer.js';
import { type KnowledgeBaseOptions, parseKnowledgeBaseOptions } from './config.js';
import { NewsragError } from './errors.js';
import type { EvalQuestion } from './eval/questions.js';
import { evaluate as evaluateQuestions } from './eval/run.js';
import type { EvalReport } from './eval/score.js';
import { runIndex } from './indexer.js';
import { resolveEmbedder } from './model.js';
import { search as searchIndex } from './retrieve/search.js';
import { FolderIndexStore } from './store/folder-store.js';
import type {
  Answer,
  AnswerOptions,
  ArticleRecord,
  IndexOptions,
  IndexReader,
  IndexStats,
  IndexStore,
  IndexSummary,
  KnowledgeBase,
  Passage,
  SearchMode,
  SearchOptions,
} from './types.js';

/**
 * Opens a knowledge base: an index folder and the embedder that built it.
 *
 * With no `embedder`, one is created from `model` (default `auto`: the model the
 * index was built with; for a new index the real default model when it is cached
 * or the hub can be reached, else the offline stand-in, announced through `onNotice`).
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
  const store: IndexStore = options.store ?? new FolderIndexStore(opts.indexDir);
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
    }));
  if (reader && reader.manifest.fingerprintId !== embedder.fingerprintId) {
    if (ownsEmbedder) await embedder.dispose();
    throw modelMismatch(store.location, reader, embedder);
  }
  return new FolderKnowledgeBase(store, embedder, reader, ownsEmbedder, options.rebuild ?? false);
}

function modelMismatch(location: string, reader: IndexReader, embedder: Embedder): NewsragError {
  const built = reader.manifest.fingerprint;
  const asked = embedder.fingerprint;
  return new NewsragError(
    'INDEX_MODEL_MISMATCH',
    `The index in ${location} was built with ${built.modelId} (${built.dtype}, ${built.pooling} pooling), ` +
      `but the embedder is ${asked.modelId} (${asked.dtype}, ${asked.pooling} pooling); vectors of different models cannot be mixed. ` +
      `Use --model ${built.modelId} --dtype ${built.dtype}, or rebuild it for the new model with \`newsrag index --rebuild <articles>\`.`,
  );
}

class FolderKnowledgeBase implements KnowledgeBase {
  /** Swapped in one assignment when a new generation is complete; questions use whichever they saw first. */
  private reader: IndexReader | null;
  /** Serialises index runs within this process (other processes are kept out by the store's lock). */
  private indexing: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly store: IndexStore,
    readonly embedder: Embedder,
    reader: IndexReader | null,
    private readonly ownsEmbedder: boolean,
    /** Set when opened for a rebuild: the first `index()` replaces the index instead of updating it. */
    private rebuildNext: boolean,
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
      const { summary, reader } = await runIndex({
        store: this.store,
        embedder: this.embedder,
        paths,
        prune: options.prune ?? false,
        rebuild,
        onProgress: options.onProgress,
        followExternalSymlinks: options.followExternalSymlinks ?? false,
      });
      if (reader) this.reader = reader;
      this.rebuildNext = false;
      return summary;
    });
    this.indexing = run.catch(() => undefined);
    return run;
  }

  async search(question: string, options: SearchOptions = {}): Promise<Passage[]> {
    const { passages } = await searchIndex(this.currentReader(), this.embedder, question, options);
    return passages;
  }

  answer(question: string, options: AnswerOptions = {}): Promise<Answer> {
    return answerQuestion(this.currentReader(), this.embedder, question, options);
  }

  evaluate(questions: readonly EvalQuestion[], options: { mode?: SearchMode } = {}): Promise<EvalReport> {
    return evaluateQuestions({
      reader: this.currentReader(),
      embedder: this.embedder,
      questions,
      mode: options.mode ?? 'hybrid',
    });
  }

  articles(): ArticleRecord[] {
    this.assertOpen();
    return this.reader?.articles() ?? [];
  }

  async stats(options: { check?: boolean } = {}): Promise<IndexStats> {
    const reader = this.currentReader();
    const m = reader.manifest;
    return {
      location: this.store.location,
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
    await this.indexing;
    this.reader = null;
    if (this.ownsEmbedder) await this.embedder.dispose();
  }

  private currentReader(): IndexReader {
    this.assertOpen();
    if (!this.reader) {
      throw new NewsragError(
        'INDEX_NOT_FOUND',
        `There is no index in ${this.store.location} yet. Build one with \`newsrag index <articles folder>\` (or kb.index(paths)).`,
      );
    }
    return this.reader;
  }

  private assertOpen(): void {
    if (this.closed) throw new NewsragError('BAD_OPTIONS', 'This knowledge base is closed; open a new one.');
  }
}
