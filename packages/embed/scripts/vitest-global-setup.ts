/**
 * Vitest `globalSetup`: makes sure both stand-in folders are built (cached by input hash,
 * ~1.5 s when up to date) before any test file runs, so tests that load the `standin`
 * presets never race the build. Wire it in the root vitest.config.ts:
 * `test: { globalSetup: ['packages/embed/scripts/vitest-global-setup.ts'] }`.
 */
import { buildStandin, DEFAULT_PARAMS, type PreparedTable, prepareTable } from './standin/build.js';

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
}
