/**
 * Whether a real model can be measured: its ONNX files in the model cache. The bench
 * never downloads a model itself; it says how to get one instead.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cachedModelDir, findPreset, OPTION_DEFAULTS, onnxFileName } from '@newsrag/embed';

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
