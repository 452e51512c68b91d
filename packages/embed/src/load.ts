import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AutoModel, AutoTokenizer } from '@huggingface/transformers';
import { EmbedError } from './errors.js';
import { cachedModelDir, hubFileUrl, onnxFileName, probeHub, requiredModelFiles } from './hub.js';
import type { ResolvedOptions } from './options.js';
import { standinDir } from './presets.js';
import { createDownloadProgress, type DownloadProgressEvent } from './progress.js';
import { withTransformersEnv } from './transformers-env.js';

type Tokenizer = Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
type Model = Awaited<ReturnType<typeof AutoModel.from_pretrained>>;

/** Where a model's files came from. */
export type ModelSource = 'local' | 'standin' | 'cache' | 'hub';

/** A tokenizer and ONNX session ready to run, and the facts a fingerprint needs. */
export interface LoadedModel {
  tokenizer: Tokenizer;
  model: Model;
  config: Record<string, unknown>;
  /** The folder that holds the files actually loaded. */
  dir: string;
  /** The ONNX file loaded, relative to `dir`. */
  weightsFile: string;
  source: ModelSource;
  /** sentence-transformers' `max_seq_length` from `sentence_bert_config.json`, when the folder has one. */
  maxSeqLength: number | undefined;
}

/** Names the missing files of a model folder; empty when it is complete. */
export function missingModelFiles(dir: string, options: Pick<ResolvedOptions, 'dtype'>): string[] {
  return requiredModelFiles(options.dtype).filter((file) => !existsSync(path.join(dir, file)));
}

/**
 * Loads a model in this order: (1) the explicit `localDir`, or the folder of a stand-in
 * preset; (2) the cache folder; (3) a download from the hub into the cache. Never falls
 * back to another model: when none of these works it throws.
 *
 * @throws EmbedError `EMBED_MODEL_UNAVAILABLE` (not cached and hub unreachable or lacking
 *   the model), `EMBED_MODEL_INVALID` (files present but unusable), `EMBED_STANDIN_MISSING`.
 */
export async function loadModel(options: ResolvedOptions): Promise<LoadedModel> {
  if (options.localDir !== undefined) return loadFromFolder(options.localDir, 'local', options);
  if (options.standinFolder !== undefined) return loadFromFolder(standinDir(options.standinFolder), 'standin', options);

  const cached = cachedModelDir(options.cacheDir, options.modelId, options.revision);
  if (missingModelFiles(cached, options).length === 0) return loadFromFolder(cached, 'cache', options);
  return downloadAndLoad(options, cached);
}

/** Whether the model of `options` is complete in the cache folder (no network). */
export function isCached(options: ResolvedOptions): boolean {
  return missingModelFiles(cachedModelDir(options.cacheDir, options.modelId, options.revision), options).length === 0;
}

async function loadFromFolder(dir: string, source: ModelSource, options: ResolvedOptions): Promise<LoadedModel> {
  const missing = missingModelFiles(dir, options);
  if (missing.length > 0) {
    throw new EmbedError(
      source === 'cache' ? 'EMBED_MODEL_UNAVAILABLE' : 'EMBED_MODEL_INVALID',
      `The model folder ${dir} lacks ${missing.join(', ')} (needed for dtype ${options.dtype}). ` +
        'Point the model folder at a complete export (config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx).',
    );
  }
  try {
    // A folder path is not a valid hub id, so transformers.js reads it straight from disk;
    // remote access is off so a broken folder can never turn into a download.
    return await withTransformersEnv(
      {
        allowLocalModels: true,
        allowRemoteModels: false,
        remoteHost: options.remoteHost,
        remotePathTemplate: options.remotePathTemplate,
        cacheDir: options.cacheDir,
      },
      async () => {
        const { tokenizer, model } = await fromPretrained(dir, options, { local_files_only: true });
        return {
          tokenizer,
          model,
          config: await readConfig(dir),
          maxSeqLength: await readMaxSeqLength(dir),
          dir,
          weightsFile: onnxFileName(options.dtype),
          source,
        };
      },
    );
  } catch (error) {
    if (error instanceof EmbedError) throw error;
    throw new EmbedError(
      'EMBED_MODEL_INVALID',
      `Could not load the model in ${dir}: ${describe(error)}. Check that the folder holds a BERT-style ONNX export for transformers.js.`,
      { cause: error },
    );
  }
}

async function downloadAndLoad(options: ResolvedOptions, cached: string): Promise<LoadedModel> {
  const configUrl = hubFileUrl(
    options.remoteHost,
    options.remotePathTemplate,
    options.modelId,
    options.revision,
    'config.json',
  );
  if (!options.allowRemote) throw unavailable(options, 'downloads are disabled (allowRemote: false)');
  const probe = await probeHub(configUrl, options.hubTimeoutMs);
  if (!probe.ok) {
    const why =
      probe.reason === 'unreachable'
        ? `the hub ${options.remoteHost} could not be reached (${probe.detail})`
        : probe.reason === 'not-found'
          ? `the hub ${options.remoteHost} has no model "${options.modelId}" at revision "${options.revision}" (${probe.detail})`
          : `the hub ${options.remoteHost} refused the download (${probe.detail})`;
    throw unavailable(options, why);
  }

  options.onNotice(
    `Downloading ${options.modelId} (${options.dtype}) from ${options.remoteHost} into ${options.cacheDir}`,
  );
  const progress = createDownloadProgress(options.modelId, options.showProgress);
  try {
    return await withTransformersEnv(
      {
        allowLocalModels: false,
        allowRemoteModels: true,
        remoteHost: options.remoteHost,
        remotePathTemplate: options.remotePathTemplate,
        cacheDir: options.cacheDir,
      },
      async () => {
        const { tokenizer, model } = await fromPretrained(options.modelId, options, {
          cache_dir: options.cacheDir,
          revision: options.revision,
          progress_callback: progress.callback,
        });
        const missing = missingModelFiles(cached, options);
        if (missing.length > 0) {
          await model.dispose();
          throw new EmbedError(
            'EMBED_MODEL_INVALID',
            `Downloaded ${options.modelId} but ${missing.join(', ')} did not land in ${cached}; the hub's layout may differ from transformers.js' (check remotePathTemplate).`,
          );
        }
        return {
          tokenizer,
          model,
          config: await readConfig(cached),
          maxSeqLength: await readMaxSeqLength(cached),
          dir: cached,
          weightsFile: onnxFileName(options.dtype),
          source: 'hub' as const,
        };
      },
    );
  } catch (error) {
    if (error instanceof EmbedError) throw error;
    throw unavailable(options, `the download from ${options.remoteHost} failed (${describe(error)})`, error);
  } finally {
    progress.stop();
  }
}

async function fromPretrained(
  idOrDir: string,
  options: ResolvedOptions,
  hub: {
    local_files_only?: boolean;
    cache_dir?: string;
    revision?: string;
    progress_callback?: (event: DownloadProgressEvent) => void;
  },
): Promise<{ tokenizer: Tokenizer; model: Model }> {
  // Both at once: downloads overlap and the progress bar sees every file's size early.
  const [tokenizer, model] = await Promise.allSettled([
    AutoTokenizer.from_pretrained(idOrDir, hub),
    AutoModel.from_pretrained(idOrDir, {
      ...hub,
      dtype: options.dtype,
      device: 'cpu',
      session_options: {
        intraOpNumThreads: options.threads,
        // One model runs one graph at a time; more inter-op threads only compete for cores.
        interOpNumThreads: 1,
        logSeverityLevel: 3,
      },
    }),
  ]);
  if (tokenizer.status === 'rejected') {
    // Don't leak a session that did load when its tokenizer didn't.
    if (model.status === 'fulfilled') await model.value.dispose();
    throw tokenizer.reason;
  }
  if (model.status === 'rejected') throw model.reason;
  return { tokenizer: tokenizer.value, model: model.value };
}

async function readConfig(dir: string): Promise<Record<string, unknown>> {
  const file = path.join(dir, 'config.json');
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new EmbedError('EMBED_MODEL_INVALID', `${file} is not a valid model config: ${describe(error)}.`, {
      cause: error,
    });
  }
}

/** `max_seq_length` of a sentence-transformers folder; `undefined` when absent or not a positive integer. */
async function readMaxSeqLength(dir: string): Promise<number | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dir, 'sentence_bert_config.json'), 'utf8')) as {
      max_seq_length?: unknown;
    };
    const n = parsed.max_seq_length;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function unavailable(options: ResolvedOptions, why: string, cause?: unknown): EmbedError {
  return new EmbedError(
    'EMBED_MODEL_UNAVAILABLE',
    `The embedding model ${options.modelId} (revision ${options.revision}, ${options.dtype}) is not in the cache folder ` +
      `${cachedModelDir(options.cacheDir, options.modelId, options.revision)} and ${why}. ` +
      'Ways out: connect to the internet and try again; pass a folder that holds the model files ' +
      '(localDir / --model-dir); or use the offline stand-in (--model standin).',
    cause === undefined ? undefined : { cause },
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
