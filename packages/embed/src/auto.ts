import { hubFileUrl, probeHub } from './hub.js';
import { isCached } from './load.js';
import { type EmbedderOptions, resolveOptions } from './options.js';
import { DEFAULT_MODEL } from './presets.js';

/** The model name `auto` stands for. */
export const AUTO_MODEL = 'auto';

/** The preset `auto` falls back to when the real default model cannot be had. */
export const AUTO_FALLBACK = 'standin';

/**
 * Picks the model `auto` means: the real default ({@link DEFAULT_MODEL}) when it is in
 * the cache (or an explicit `localDir` is given) or the hub answers, else the offline
 * stand-in. Falling back always calls `onNotice` (stderr by default) with one line
 * saying so: the stand-in's answers are much weaker and the user must know.
 */
export async function resolveAutoModel(options: EmbedderOptions = {}): Promise<string> {
  const resolved = resolveOptions({ ...options, model: DEFAULT_MODEL });
  if (resolved.localDir !== undefined || isCached(resolved)) return DEFAULT_MODEL;
  let why: string;
  if (resolved.allowRemote) {
    const url = hubFileUrl(
      resolved.remoteHost,
      resolved.remotePathTemplate,
      resolved.modelId,
      resolved.revision,
      'config.json',
    );
    const probe = await probeHub(url, resolved.hubTimeoutMs);
    if (probe.ok) return DEFAULT_MODEL;
    why = `the hub ${resolved.remoteHost} could not serve it (${probe.detail})`;
  } else {
    why = 'downloads are disabled';
  }
  resolved.onNotice(
    `Using the offline stand-in model "${AUTO_FALLBACK}" instead of ${DEFAULT_MODEL}: it is not cached in ${resolved.cacheDir} and ${why}; ` +
      'answers will be weaker until the real model can be downloaded.',
  );
  return AUTO_FALLBACK;
}
