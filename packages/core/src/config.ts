import { join } from 'node:path';
import { EMBED_DTYPES, type EmbedDtype, type Embedder } from '@newsrag/embed';
import { z } from 'zod';
import { NewsragError } from './errors.js';
import type { IndexStore } from './store/contract.js';
import { isPostgresUrl } from './store/postgres/location.js';
import type { SearchMode } from './types.js';

/**
 * Defaults of ingestion (`newsrag ingest`, `watch`, {@link ingest}).
 *
 * | option | default | meaning |
 * |---|---|---|
 * | `contact` | `https://www.npmjs.com/package/@newsrag/core` | sent in the User-Agent `newsrag/<version> (+contact)` so site owners can reach the operator (env `NEWSRAG_CONTACT`) |
 * | `connectTimeoutMs` | `10000` | time to connect |
 * | `totalTimeoutMs` | `30000` | time for a whole response, redirects included |
 * | `maxBytes` | `10 MiB` | largest response (compressed or not); past it the download is aborted |
 * | `maxRedirects` | `5` | redirects followed |
 * | `perHostConcurrency` | `2` | requests to one host at a time |
 * | `perHostDelayMs` | `500` | pause between two requests to one host (a larger robots.txt Crawl-delay wins, up to 60 s) |
 * | `minFullTextChars` | `300` | a feed item whose own content has fewer characters of text than this is "summary only": its page is fetched |
 * | `parseTimeoutMs` | `15000` | time to parse one feed or extract one page in a worker thread |
 * | `refreshMinutes` | `15` | `watch` interval |
 */
export const INGEST_DEFAULTS = {
  contact: 'https://www.npmjs.com/package/@newsrag/core',
  connectTimeoutMs: 10_000,
  totalTimeoutMs: 30_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  perHostConcurrency: 2,
  perHostDelayMs: 500,
  minFullTextChars: 300,
  parseTimeoutMs: 15_000,
  refreshMinutes: 15,
} as const;

/**
 * Retrieval defaults ({@link DEFAULTS}`.search`). Tuned on the dev sets with the stand-in embedder, hybrid mode, by
 * varying one knob at a time from these values (`hit@5 / MRR@10`; seed = seed dev set on the
 * three seeds, hay = seed dev set in the 2,228-article haystack, BBC = BBC dev set in the haystack):
 *
 * | change                      | seed        | hay         | BBC         |
 * |-----------------------------|-------------|-------------|-------------|
 * | (defaults)                  | 1.00 / 0.89 | 0.95 / 0.87 | 0.68 / 0.57 |
 * | duplicateCosine 1 (off)     | same        | same        | 0.70 / 0.58 |
 * | rrfK 10 / 30 / 120          | same        | same        | 0.70 / 0.56, same, same |
 * | bm25Weight 2                | same        | 1.00 / 0.88 | same        |
 * | denseWeight 2               | 1.00 / 0.88 | 0.80 / 0.77 | 0.60 / 0.52 |
 * | candidates 30 / 100         | same        | 0.95 / 0.84, same | same, 0.70 / 0.59 |
 * | rerankDepth 0 (fusion only) | 0.90 / 0.72 | 0.80 / 0.65 | 0.58 / 0.47 |
 * | rerankDepth 15 / 50         | same        | same        | same, 0.70 / 0.59 |
 * | perArticleCap 0 / 3         | same        | 1.00 / 0.88 | 0.70 / 0.58 (cap 3, duplicates off) |
 *
 * The contract's documented fusion defaults (k 60, both weights 1) are kept: the only gain
 * from changing them was on one set and the stand-in's dense retriever is far weaker than a
 * real model's would be (re-tune when one is available). The reranker is what matters.
 */
const SEARCH = {
  k: 5,
  mode: 'hybrid' as SearchMode,
  perArticleCap: 2,
  rrfK: 60,
  // denseWeight depends on the embedder: see `tuning.ts`.
  bm25Weight: 1,
  candidates: 50,
  /** Candidates re-ordered by lexical evidence after fusion (see rerank.ts); 0 = off. */
  rerankDepth: 30,
  /**
   * Candidates whose stored vectors have a cosine ≥ this with a better one are dropped as
   * duplicates (1 = off). Over the BBC dev questions' top-30 candidates, all 99 pairs of
   * identical passages had a cosine ≥ 0.99, and 9 of ~19,500 pairs of different passages did
   * (near-duplicate articles); 0.995 keeps those apart from everything else.
   */
  duplicateCosine: 0.995,
  /**
   * How many places a candidate of a `preferArticles` article moves up after reranking: a
   * follow-up's boost for the articles already cited. Small, so a better passage of another
   * article still wins (measured with the follow-up eval: see `FOLLOW_UP_LIMITS.carriedWords`).
   */
  preferRanks: 1,
  /** Leading candidates whose sentences are embedded for the reranker's `sentenceDense` feature (when it weighs > 0). */
  sentenceDepth: 10,
} as const;

/**
 * Answer defaults ({@link DEFAULTS}`.answer`); the abstention threshold `minConfidence` is
 * the embedder's calibration (`thresholds.ts`), not a constant.
 */
const ANSWER = {
  /** Sentences quoted at most. */
  maxSentences: 2,
  /**
   * Where quotable sentences come from: the best `passages` candidates with at most
   * `perArticle` from one article (or the search cap, if larger). Bounds the embedding batch
   * (~8 passages ≈ 37 sentences). With the search default (5 passages, 2 per article) the
   * seed article that confirms "first visit since 2000" with "first to North Korea in 24 years"
   * is its third passage and was never seen.
   *
   * `allSentencesOf`: every sentence of the first 3 passages is embedded, past them only
   * sentences sharing a question term (see `worthEmbedding`): 26 instead of 37 sentences per
   * question on average. On the 67 dev questions over the haystack, cutoffs 5, 4, 3 and 2 gave
   * the same quotes, confidences and abstentions as embedding everything (8); 1 and 0 changed
   * one confidence. Sentence vectors are also cached per embedder (see `sentence-vectors.ts`).
   */
  pool: { passages: 8, perArticle: 3, allSentencesOf: 3 },
} as const;

/**
 * Every default of the library and the CLI, in one typed object (the model: discord.js's
 * `DefaultRestOptions`). Option parsers fill their gaps from here; nothing else restates a value.
 *
 * | option        | default          | meaning |
 * |---------------|------------------|---------|
 * | `indexDir`    | `.newsrag`       | where the index lives: a folder, or a `postgres://` URL for the PostgreSQL engine (env `NEWSRAG_INDEX`, else `NEWSRAG_INDEX_DIR`); also the folder engines' default |
 * | `articlesDir` | `data/articles`  | what `ask` indexes when there is no index yet (env `NEWSRAG_ARTICLES_DIR`) |
 * | `model`       | `auto`           | embedder: the index's own model, else the real default if cached or reachable, else `standin` (env `NEWSRAG_MODEL`) |
 * | `dtype`       | `fp32`           | `fp32` or `q8` (env `NEWSRAG_DTYPE`) |
 * | `k`           | `5`              | passages returned by `ask`/`search` (the same as `search.k`) |
 * | `feedsFile`   | `feeds.txt`      | the feeds `newsrag feeds` keeps and `ingest`/`watch` read, one URL a line (env `NEWSRAG_FEEDS_FILE`) |
 * | `questionLog` | `questions.jsonl` | the bot's question log, in the index folder (`.newsrag` for a Postgres index; env `NEWSRAG_QUESTION_LOG`: a path); `newsrag report` reads it |
 * | `feedbackLog` | `feedback.jsonl` | the bot's feedback log, beside the question log (env `NEWSRAG_FEEDBACK_LOG`: a path) |
 * | `engine`      | `sqlite`         | index engine: `sqlite` (a folder-format index is migrated on first open, verified, then its old files removed), `folder` (the generation-folder format, kept for a while), or `auto` (whatever the folder holds: `index.sqlite` → `sqlite`, `CURRENT` → `folder`) (env `NEWSRAG_INDEX_ENGINE`) |
 * | `newEngine`   | `sqlite`         | the engine of a new index under `auto` |
 * | `search.k` | `5` | passages a search returns |
 * | `search.mode` | `hybrid` | `hybrid`, `dense` or `bm25` |
 * | `search.perArticleCap` | `2` | passages from one article at most (0 = no cap) |
 * | `search.rrfK` | `60` | the reciprocal rank fusion constant |
 * | `search.bm25Weight` | `1` | the BM25 list's weight in fusion (the dense weight is the embedder's tuning) |
 * | `search.candidates` | `50` | fused candidates kept before reranking |
 * | `search.rerankDepth` | `30` | candidates re-ordered by lexical evidence (0 = off) |
 * | `search.duplicateCosine` | `0.995` | a candidate this close to a better one is dropped (1 = off) |
 * | `search.preferRanks` | `1` | places a preferred article's candidate moves up |
 * | `search.sentenceDepth` | `10` | leading candidates whose sentences feed the reranker's `sentenceDense` |
 * | `answer.maxSentences` | `2` | sentences an answer quotes at most (1–10) |
 * | `answer.pool` | `8` passages, `3` per article, all sentences of the first `3` | where quotable sentences come from |
 * | `ingest`      | see {@link INGEST_DEFAULTS} | HTTP limits and politeness of `ingest` |
 *
 * The measurements behind `search` and `answer.pool` are on their definitions above.
 */
export const DEFAULTS = {
  indexDir: '.newsrag',
  articlesDir: 'data/articles',
  model: 'auto',
  dtype: 'fp32',
  k: SEARCH.k,
  feedsFile: 'feeds.txt',
  questionLog: 'questions.jsonl',
  feedbackLog: 'feedback.jsonl',
  engine: 'sqlite',
  newEngine: 'sqlite',
  search: SEARCH,
  answer: ANSWER,
  ingest: INGEST_DEFAULTS,
} as const;

/** The type of {@link DEFAULTS}. */
export type CoreDefaults = typeof DEFAULTS;

const engineChoice = z.enum(['auto', 'folder', 'sqlite']);

/**
 * The folder for the files kept beside an index (the bot's logs and settings): the index
 * folder itself, or the default one when the index is on a server.
 */
export function filesFolderOf(index: string): string {
  return isPostgresUrl(index) ? DEFAULTS.indexDir : index;
}

/**
 * Where the bot's logs are: the env paths when set, else {@link DEFAULTS} inside the index's
 * files folder ({@link filesFolderOf}). The bot and `newsrag report` both ask here, so they find the same files.
 */
export function logPaths(
  indexDir: string,
  env: NodeJS.ProcessEnv = process.env,
): { questionLog: string; feedbackLog: string } {
  const folder = filesFolderOf(indexDir);
  return {
    questionLog: env.NEWSRAG_QUESTION_LOG || join(folder, DEFAULTS.questionLog),
    feedbackLog: env.NEWSRAG_FEEDBACK_LOG || join(folder, DEFAULTS.feedbackLog),
  };
}

const ingestSchema = z.object({
  contact: z.string().min(1).max(200).default(INGEST_DEFAULTS.contact),
  connectTimeoutMs: z.number().int().positive().default(INGEST_DEFAULTS.connectTimeoutMs),
  totalTimeoutMs: z.number().int().positive().default(INGEST_DEFAULTS.totalTimeoutMs),
  maxBytes: z.number().int().positive().default(INGEST_DEFAULTS.maxBytes),
  maxRedirects: z.number().int().min(0).max(20).default(INGEST_DEFAULTS.maxRedirects),
  perHostConcurrency: z.number().int().min(1).max(16).default(INGEST_DEFAULTS.perHostConcurrency),
  perHostDelayMs: z.number().int().min(0).default(INGEST_DEFAULTS.perHostDelayMs),
  minFullTextChars: z.number().int().min(0).default(INGEST_DEFAULTS.minFullTextChars),
  parseTimeoutMs: z.number().int().positive().default(INGEST_DEFAULTS.parseTimeoutMs),
  allowHosts: z.array(z.string().min(1)).default([]),
});

/** The HTTP settings of ingestion; every field optional (see {@link INGEST_DEFAULTS}). */
export type IngestSettings = z.input<typeof ingestSchema>;
export type ParsedIngestSettings = z.output<typeof ingestSchema>;

/** Validates ingest settings, naming the bad field in a `BAD_OPTIONS` error. */
export function parseIngestSettings(settings: IngestSettings = {}): ParsedIngestSettings {
  return parseOrThrow(ingestSchema, settings);
}

const dtype = z.enum(EMBED_DTYPES);

const knowledgeBaseSchema = z.object({
  indexDir: z.string().min(1).default(DEFAULTS.indexDir),
  model: z.string().min(1).default(DEFAULTS.model),
  dtype: dtype.default(DEFAULTS.dtype),
  modelDir: z.string().min(1).optional(),
  engine: engineChoice.default(DEFAULTS.engine),
});

/** Options of {@link openKnowledgeBase}. */
export interface KnowledgeBaseOptions {
  /** Index folder (default `.newsrag`), or a `postgres://` URL (`?schema=` names the index's schema, default `newsrag`). */
  indexDir?: string;
  /** A ready embedder; when given, `model` and `dtype` are ignored and the caller disposes it. */
  embedder?: Embedder;
  /** Preset name, hub model id or `auto` (default). */
  model?: string;
  dtype?: EmbedDtype;
  /** A local folder holding the model's files (hub layout); tried before the cache and the hub. */
  modelDir?: string;
  /**
   * The index engine on `indexDir` (default `sqlite`, which migrates a folder-format index on
   * first open; `auto`: the one the folder holds; `folder`: the generation-folder format).
   * Ignored when `store` is given.
   */
  engine?: 'auto' | 'folder' | 'sqlite';
  /** Where the index lives; default the engine `engine` selects on `indexDir`. */
  store?: IndexStore;
  /** Receives one-line notices (e.g. "falling back to the stand-in model"). */
  onNotice?: (line: string) => void;
  /**
   * Open for a rebuild: do not load the current index (it may be corrupt or built by
   * another model); the next `index()` replaces it. Questions fail until then.
   */
  rebuild?: boolean;
  /**
   * Run `index()` in a worker thread with its own embedder (same model), so reading,
   * parsing, chunking, embedding and writing never block the caller's event loop (the
   * bot keeps heartbeating and answering). Needs the default folder store and a model
   * named by `model` (not a ready `embedder`); otherwise indexing runs in-process.
   */
  indexInWorker?: boolean;
  /**
   * Run the model's forward passes (query and answer-sentence embeddings) in a worker
   * thread, so a question never blocks the caller's event loop: onnxruntime-node computes
   * synchronously behind its Promise. For servers and the bot; a CLI gains nothing.
   * Applies when the knowledge base creates its embedder (not with a ready `embedder`).
   */
  embedInWorker?: boolean;
}

export type ParsedKnowledgeBaseOptions = z.output<typeof knowledgeBaseSchema>;

/** Validates options, naming the bad field in a `BAD_OPTIONS` error. */
export function parseKnowledgeBaseOptions(options: KnowledgeBaseOptions): ParsedKnowledgeBaseOptions {
  return parseOrThrow(knowledgeBaseSchema, {
    indexDir: options.indexDir,
    model: options.model,
    dtype: options.dtype,
    modelDir: options.modelDir,
    engine: options.engine,
  });
}

/** Options read from the environment, for the CLI and the bot; explicit flags win over them. */
export function envDefaults(env: NodeJS.ProcessEnv = process.env): {
  indexDir: string;
  articlesDir: string;
  model: string;
  dtype: EmbedDtype;
  feedsFile: string;
  contact: string;
  engine: 'auto' | 'folder' | 'sqlite';
} {
  return parseOrThrow(
    z.object({
      indexDir: z.string().min(1).default(DEFAULTS.indexDir),
      articlesDir: z.string().min(1).default(DEFAULTS.articlesDir),
      feedsFile: z.string().min(1).default(DEFAULTS.feedsFile),
      contact: z.string().min(1).max(200).default(INGEST_DEFAULTS.contact),
      model: z.string().min(1).default(DEFAULTS.model),
      dtype: dtype.default(DEFAULTS.dtype),
      engine: engineChoice.default(DEFAULTS.engine),
    }),
    {
      indexDir: env.NEWSRAG_INDEX || env.NEWSRAG_INDEX_DIR || undefined,
      articlesDir: env.NEWSRAG_ARTICLES_DIR || undefined,
      model: env.NEWSRAG_MODEL || undefined,
      dtype: env.NEWSRAG_DTYPE || undefined,
      feedsFile: env.NEWSRAG_FEEDS_FILE || undefined,
      contact: env.NEWSRAG_CONTACT || undefined,
      engine: env.NEWSRAG_INDEX_ENGINE || undefined,
    },
    {
      indexDir: env.NEWSRAG_INDEX ? 'NEWSRAG_INDEX' : 'NEWSRAG_INDEX_DIR',
      articlesDir: 'NEWSRAG_ARTICLES_DIR',
      model: 'NEWSRAG_MODEL',
      dtype: 'NEWSRAG_DTYPE',
      feedsFile: 'NEWSRAG_FEEDS_FILE',
      contact: 'NEWSRAG_CONTACT',
      engine: 'NEWSRAG_INDEX_ENGINE',
    },
  );
}

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, names: Record<string, string> = {}): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return `${names[field] ?? field}: ${issue.message}`;
  });
  throw new NewsragError('BAD_OPTIONS', `Invalid options: ${problems.join('; ')}`, { problems });
}
