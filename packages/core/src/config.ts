import { join } from 'node:path';
import { EMBED_DTYPES, type EmbedDtype, type Embedder } from '@newsrag/embed';
import { z } from 'zod';
import { NewsragError } from './errors.js';
import { isPostgresUrl } from './store/postgres/location.js';
import type { IndexStore } from './types.js';

/**
 * Every default of the library and the CLI, in one place.
 *
 * | option        | default          | meaning |
 * |---------------|------------------|---------|
 * | `indexDir`    | `.newsrag`       | where the index lives: a folder, or a `postgres://` URL for the PostgreSQL engine (env `NEWSRAG_INDEX`, else `NEWSRAG_INDEX_DIR`) |
 * | `articlesDir` | `data/articles`  | what `ask` indexes when there is no index yet (env `NEWSRAG_ARTICLES_DIR`) |
 * | `model`       | `auto`           | embedder: the index's own model, else the real default if cached or reachable, else `standin` (env `NEWSRAG_MODEL`) |
 * | `dtype`       | `fp32`           | `fp32` or `q8` (env `NEWSRAG_DTYPE`) |
 * | `k`           | `5`              | passages returned by `ask`/`search` |
 * | `feedsFile`   | `feeds.txt`      | the feeds `newsrag feeds` keeps and `ingest`/`watch` read, one URL a line (env `NEWSRAG_FEEDS_FILE`) |
 * | `questionLog` | `questions.jsonl` | the bot's question log, in the index folder (`.newsrag` for a Postgres index; env `NEWSRAG_QUESTION_LOG`: a path); `newsrag report` reads it |
 * | `feedbackLog` | `feedback.jsonl` | the bot's feedback log, beside the question log (env `NEWSRAG_FEEDBACK_LOG`: a path) |
 * | `ingest`      | see {@link INGEST_DEFAULTS} | HTTP limits and politeness of `ingest` |
 * | `engine`      | `sqlite`         | index engine: `sqlite` (a folder-format index is migrated on first open, verified, then its old files removed), `folder` (the generation-folder format, kept for a while), or `auto` (whatever the folder holds: `index.sqlite` → `sqlite`, `CURRENT` → `folder`) (env `NEWSRAG_INDEX_ENGINE`) |
 * | `newEngine`   | `sqlite`         | the engine of a new index under `auto` |
 */
export const DEFAULTS = {
  indexDir: '.newsrag',
  articlesDir: 'data/articles',
  model: 'auto',
  dtype: 'fp32',
  k: 5,
  feedsFile: 'feeds.txt',
  questionLog: 'questions.jsonl',
  feedbackLog: 'feedback.jsonl',
  engine: 'sqlite',
  newEngine: 'sqlite',
} as const;

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
  throw new NewsragError('BAD_OPTIONS', `Invalid options: ${problems.join('; ')}`);
}
