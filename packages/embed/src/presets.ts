import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbedError } from './errors.js';
import type { Pooling } from './types.js';

/** How a named model is found and how its outputs are turned into one vector. */
export interface Preset {
  /** Hub model id (or, for the stand-ins, the id recorded in fingerprints). */
  modelId: string;
  pooling: Pooling;
  normalize: boolean;
  queryPrefix: string;
  documentPrefix: string;
  /**
   * The sequence length the model was trained with; longer inputs are truncated there
   * (sentence-transformers' `max_seq_length`). Unset: the model's position table.
   */
  maxTokens?: number;
  /**
   * For presets that ship with the repo: the folder name under the stand-in root.
   * Such presets never touch the hub.
   */
  standinFolder?: string;
}

/** The model used for real work when none is named. */
export const DEFAULT_MODEL = 'bge-small-en-v1.5';

/** Named models. Any other `model` string is taken as a hub id. */
export const PRESETS: Readonly<Record<string, Readonly<Preset>>> = Object.freeze({
  'bge-small-en-v1.5': {
    modelId: 'Xenova/bge-small-en-v1.5',
    pooling: 'cls',
    normalize: true,
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    documentPrefix: '',
    maxTokens: 512,
  },
  'all-MiniLM-L6-v2': {
    modelId: 'Xenova/all-MiniLM-L6-v2',
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    documentPrefix: '',
    // Trained on 256-token inputs; sentence-transformers truncates it there.
    maxTokens: 256,
  },
  standin: {
    modelId: 'newsrag/standin',
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    documentPrefix: '',
    standinFolder: 'standin',
  },
  'standin-bge-shape': {
    modelId: 'newsrag/standin-bge-shape',
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    documentPrefix: '',
    standinFolder: 'standin-bge-shape',
  },
});

/** Looks a preset up by name; `undefined` for hub ids. */
export function findPreset(name: string): Readonly<Preset> | undefined {
  return Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
}

/**
 * The folder that holds the stand-in model folders (`standin/`, `standin-bge-shape/`):
 * `$NEWSRAG_STANDIN_DIR` when set, else `models/` of this package. Resolved from this
 * module's URL because `src/` (under vitest/tsx) and `dist/` (after tsup) both sit one
 * level below the package root.
 */
export function standinRoot(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.NEWSRAG_STANDIN_DIR;
  if (override !== undefined && override !== '') return path.resolve(override);
  return fileURLToPath(new URL('../models/', import.meta.url));
}

/**
 * The folder of a stand-in preset, checked to hold its ONNX weights.
 * @throws EmbedError `EMBED_STANDIN_MISSING` when the folder has not been built.
 */
export function standinDir(folder: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = path.join(standinRoot(env), folder);
  if (!existsSync(path.join(dir, 'onnx', 'model.onnx')) || !existsSync(path.join(dir, 'config.json'))) {
    throw new EmbedError(
      'EMBED_STANDIN_MISSING',
      `The stand-in model "${folder}" is not built: ${dir} has no config.json or onnx/model.onnx. ` +
        'Build it with `npm run build:standin -w @newsrag/embed` (or set NEWSRAG_STANDIN_DIR to a folder that holds it).',
    );
  }
  return dir;
}
