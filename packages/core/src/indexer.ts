import path from 'node:path';
import type { Embedder } from '@newsrag/embed';
import { readArticles } from './articles/read.js';
import { embeddingText } from './chunk/header.js';
import { type ChunkOptions, chunkArticle } from './chunk/pack.js';
import { modelFacts, type NewsragError, newsragError } from './errors.js';
import type { ArticleUpsert, IndexReader, IndexStore, IndexUpdate } from './store/contract.js';
import { type ArticleSignature, articleSignature, isCurrentSignature } from './syndication/signature.js';
import type { Article, ArticleRecord, Chunk, IndexProgress, IndexSummary } from './types.js';

/** Parameters of {@link runIndex}. */
export interface RunIndexParams {
  store: IndexStore;
  embedder: Embedder;
  /** Folders or files to read articles from. */
  paths: string[];
  /** Delete indexed articles that are no longer among `paths` (default false: keep them). */
  prune?: boolean;
  /**
   * Ignore the current index (even a corrupt one or one from another model) and
   * build a new one from `paths` alone (`write(update, { replace: true })`); the switch stays atomic.
   */
  rebuild?: boolean;
  onProgress?: (progress: IndexProgress) => void;
  chunkOptions?: Partial<ChunkOptions>;
  /** Follow symbolic links that lead outside the article folders (default false). */
  followExternalSymlinks?: boolean;
  /**
   * The caller's open snapshot of `store`, if any: the plan is made from `store.refresh` of it
   * (what changed since it is read, not the whole index). It is not closed here.
   */
  current?: IndexReader | null;
}

/** Result of {@link runIndex}: what changed, and the generation now current (null: still no index). */
export interface RunIndexResult {
  summary: IndexSummary;
  reader: IndexReader | null;
}

/** How the articles read compare with the index. */
export interface IndexPlan {
  added: Article[];
  updated: Article[];
  unchanged: Article[];
  /** Indexed article ids to delete. */
  removals: string[];
}

/** Whether `file` is `folder` or lies under it (plain path prefix, separator-aware). */
function isUnder(file: string, folder: string): boolean {
  if (file === folder) return true;
  const base = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return file.startsWith(base);
}

/**
 * Compares the articles read with the indexed records by id and content hash.
 * With `prune`, records absent from `articles` are removed, except those whose
 * file is in `unreadable` (a file that failed to read this time is not a deletion;
 * `file#3` of a JSON file counts as `file`) or lies under one of `unreadableFolders`
 * (a folder that could not be listed says nothing about its files).
 */
export function planIndex(
  articles: readonly Article[],
  indexed: readonly ArticleRecord[],
  prune: boolean,
  unreadable: ReadonlySet<string> = new Set(),
  unreadableFolders: readonly string[] = [],
): IndexPlan {
  const byId = new Map(indexed.map((r) => [r.id, r]));
  const plan: IndexPlan = { added: [], updated: [], unchanged: [], removals: [] };
  const seen = new Set<string>();
  for (const article of articles) {
    if (seen.has(article.id)) continue;
    seen.add(article.id);
    const record = byId.get(article.id);
    if (!record) plan.added.push(article);
    else if (record.hash !== article.hash) plan.updated.push(article);
    else plan.unchanged.push(article);
  }
  if (prune) {
    const kept = (p: string) => {
      const file = p.replace(/#[^#/\\]*$/, '');
      return unreadable.has(p) || unreadable.has(file) || unreadableFolders.some((folder) => isUnder(file, folder));
    };
    for (const r of indexed) if (!seen.has(r.id) && !kept(r.path)) plan.removals.push(r.id);
  }
  return plan;
}

/** Vectors of the embedder are views into shared buffers; an upsert owns one contiguous copy. */
function concatVectors(vectors: readonly Float32Array[], dimensions: number): Float32Array {
  const out = new Float32Array(vectors.length * dimensions);
  vectors.forEach((v, i) => {
    if (v.length !== dimensions) {
      throw newsragError('BAD_OPTIONS', {
        subject: 'The embedder',
        problem: `returned a vector of ${v.length} dimensions, expected ${dimensions}`,
      });
    }
    out.set(v, i * dimensions);
  });
  return out;
}

function mismatch(store: IndexStore, reader: IndexReader, embedder: Embedder): NewsragError {
  return newsragError('INDEX_MODEL_MISMATCH', {
    index: store.location,
    built: modelFacts(reader.manifest),
    inUse: modelFacts(embedder),
  });
}

/**
 * Incrementally (re)indexes the articles under `paths`: unchanged articles keep
 * their vectors, changed ones are re-chunked and re-embedded, new ones added, and
 * (with `prune`) vanished ones removed, all in one atomic `store.write`. When
 * nothing changed nothing is written.
 * @throws INDEX_MODEL_MISMATCH when the index was built with another embedder;
 * INDEX_LOCKED when another process is writing; the store's open errors.
 */
export async function runIndex(params: RunIndexParams): Promise<RunIndexResult> {
  const started = performance.now();
  const { store, embedder, prune = false, rebuild = false, onProgress } = params;

  const { articles, issues, unreadableFolders } = await readArticles(params.paths, {
    followExternalSymlinks: params.followExternalSymlinks ?? false,
  });
  onProgress?.({ phase: 'read', done: articles.length, total: articles.length });

  const given = params.current ?? null;
  const current = rebuild ? null : given && store.refresh ? await store.refresh(given) : await store.open();
  // The planning snapshot is ours to close unless it is the caller's own.
  const closePlanning = () => {
    if (current !== given) current?.close?.();
  };
  if (current && current.manifest.fingerprintId !== embedder.fingerprintId) {
    closePlanning();
    throw mismatch(store, current, embedder);
  }
  // A file that exists but failed to read this time keeps its indexed version, even with prune.
  const unreadable = new Set(issues.filter((i) => i.code !== 'ARTICLE_DUPLICATE').map((i) => i.path));
  const plan = planIndex(articles, current?.articles() ?? [], prune, unreadable, unreadableFolders);
  const summary: IndexSummary = {
    unreadableFolders,
    added: plan.added.length,
    updated: plan.updated.length,
    removed: plan.removals.length,
    unchanged: plan.unchanged.length,
    chunksEmbedded: 0,
    seconds: 0,
    issues,
  };
  const changed = [...plan.updated, ...plan.added];
  // Unchanged articles indexed before signatures existed (or by another scheme) get one now,
  // from the text just read: the record changes, nothing is re-embedded.
  const indexedRecords = new Map((current?.articles() ?? []).map((r) => [r.id, r]));
  const backfill = plan.unchanged
    .filter((a) => !isCurrentSignature(indexedRecords.get(a.id)?.signature))
    .map((a) => ({ id: a.id, signature: signatureOf(a) }));
  if (changed.length === 0 && plan.removals.length === 0 && backfill.length === 0 && !rebuild) {
    await store.tidy?.();
    summary.seconds = (performance.now() - started) / 1000;
    return { summary, reader: current };
  }

  const chunkOptions: ChunkOptions = {
    countTokens: (text) => embedder.countTokens(text),
    maxTokens: embedder.maxTokens,
    ...params.chunkOptions,
  };
  const chunked: { article: Article; chunks: Chunk[] }[] = [];
  for (const article of changed) {
    chunked.push({ article, chunks: chunkArticle(article, chunkOptions) });
    onProgress?.({ phase: 'chunk', done: chunked.length, total: changed.length });
  }

  const texts = chunked.flatMap(({ article, chunks }) => chunks.map((c) => embeddingText(c, article.meta)));
  const vectors =
    texts.length === 0
      ? []
      : await embedder.embedDocuments(texts, {
          onProgress: (done, total) => onProgress?.({ phase: 'embed', done, total }),
        });
  if (vectors.length !== texts.length) {
    throw newsragError('BAD_OPTIONS', {
      subject: 'The embedder',
      problem: `returned ${vectors.length} vectors for ${texts.length} texts`,
    });
  }
  summary.chunksEmbedded = texts.length;

  const d = embedder.dimensions;
  let offset = 0;
  const upserts: ArticleUpsert[] = chunked.map(({ article, chunks }) => {
    const own = vectors.slice(offset, offset + chunks.length);
    offset += chunks.length;
    return {
      record: {
        id: article.id,
        path: article.path,
        hash: article.hash,
        meta: article.meta,
        length: article.text.length,
        chunkCount: chunks.length,
        signature: signatureOf(article),
      },
      chunks,
      vectors: concatVectors(own, d),
    };
  });
  const update: IndexUpdate = {
    fingerprint: embedder.fingerprint,
    fingerprintId: embedder.fingerprintId,
    dimensions: d,
    upserts,
    removals: plan.removals,
    ...(backfill.length > 0 ? { signatures: backfill } : {}),
  };
  onProgress?.({ phase: 'write', done: 0, total: 1 });
  let reader: IndexReader;
  try {
    reader = await store.write(update, { replace: rebuild });
  } finally {
    // The planning snapshot is done with (a database store holds a connection for it).
    closePlanning();
  }
  onProgress?.({ phase: 'write', done: 1, total: 1 });
  summary.seconds = (performance.now() - started) / 1000;
  return { summary, reader };
}

/** The article's near-duplicate signature (its headline left out, see `articleSignature`). */
function signatureOf(article: Article): ArticleSignature {
  return articleSignature(article.text, article.meta.title);
}
