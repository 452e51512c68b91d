import { defineConfig } from 'tsup';

export default defineConfig({
  // `postgres` is its own entry so that importing the package does not load `pg`;
  // `internals` is the not-semver-stable subpath for tests, benchmarks and engines.
  // The worker entries are loaded by file name (see src/workers.ts), beside index.js.
  entry: [
    'src/index.ts',
    'src/internals.ts',
    'src/postgres.ts',
    'src/cli.ts',
    'src/html-worker.ts',
    'src/index-worker.ts',
    'src/feed-worker.ts',
  ],
  format: ['esm'],
  dts: { entry: ['src/index.ts', 'src/internals.ts', 'src/postgres.ts'] },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
