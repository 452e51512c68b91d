/**
 * Builds the stand-in models into `packages/embed/models/standin/` and
 * `packages/embed/models/standin-bge-shape/` (cached by input hash).
 *
 *   npx tsx scripts/build-standin.ts [--force] [--only standin|standin-bge-shape]
 */
import { parseArgs } from 'node:util';
import { buildStandin, DEFAULT_PARAMS, type PreparedTable, prepareTable } from './standin/build.js';
import type { StandinVariant } from './standin/manifest.js';

const VARIANTS: readonly StandinVariant[] = ['standin', 'standin-bge-shape'];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { force: { type: 'boolean', default: false }, only: { type: 'string' } } });
  const only = values.only;
  if (only !== undefined && !VARIANTS.includes(only as StandinVariant)) {
    throw new Error(`--only must be one of ${VARIANTS.join(', ')}, got "${only}"`);
  }
  const log = (line: string) => console.log(line);
  const start = performance.now();
  // Both variants start from the same table: read the 300 MB JSON at most once.
  let shared: Promise<PreparedTable> | undefined;
  const table = () => {
    shared ??= prepareTable(DEFAULT_PARAMS, log);
    return shared;
  };
  for (const variant of VARIANTS) {
    if (only === undefined || only === variant) await buildStandin({ variant, force: values.force, log, table });
  }
  console.log(`done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(`build-standin failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
