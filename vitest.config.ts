import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const TEST_FILES = [
  'packages/*/src/**/*.test.ts',
  'packages/*/scripts/**/*.test.ts',
  'apps/*/src/**/*.test.ts',
  'tests/**/*.test.ts',
  'bench/**/*.test.ts',
];
/** Tests that need the team's shared data (the BBC corpus, the BBC questions); see tests/support/require-shared.ts. */
const CORPUS_FILES = '**/*.corpus.test.ts';
/** Tests that need a real PostgreSQL + pgvector server (the pgserver wheel, `npm run pg:install`); see tests/support/postgres.ts. */
const PG_FILES = '**/*.pg.test.ts';

// One config for the whole monorepo: unit tests live beside the code in each
// package (src/**/*.test.ts), cross-package and end-to-end tests in tests/.
// Workspace packages resolve to their sources so a test run never sees a stale dist/.
//
// Three test sets, picked by Vite's mode: the default (`vitest run`, mode "test") needs only
// what the repo ships, so it passes on a fresh clone; `vitest run --mode corpus`
// (`npm run test:corpus`) runs only the `*.corpus.test.ts` files, which need ../shared;
// `vitest run --mode pg` (`npm run test:pg`) runs only the `*.pg.test.ts` files, which need
// the pinned PostgreSQL server (`npm run pg:install`; .ci/run installs it and runs them).
export default defineConfig(({ mode }) => {
  const corpus = mode === 'corpus';
  const pgOnly = mode === 'pg';
  return {
    resolve: {
      // Exact matches: a string alias '@newsrag/core' would also rewrite '@newsrag/core/internals'.
      alias: [
        { find: /^@newsrag\/embed$/, replacement: src('./packages/embed/src/index.ts') },
        { find: /^@newsrag\/embed\/internals$/, replacement: src('./packages/embed/src/internals.ts') },
        { find: /^@newsrag\/core$/, replacement: src('./packages/core/src/index.ts') },
        { find: /^@newsrag\/core\/internals$/, replacement: src('./packages/core/src/internals.ts') },
        { find: /^@newsrag\/core\/postgres$/, replacement: src('./packages/core/src/postgres.ts') },
        { find: /^@newsrag\/discord-bot$/, replacement: src('./apps/discord-bot/src/index.ts') },
        { find: /^@newsrag\/discord-bot\/internals$/, replacement: src('./apps/discord-bot/src/internals.ts') },
      ],
    },
    test: {
      include: corpus
        ? TEST_FILES.map((p) => p.replace(/\*\.test\.ts$/, '*.corpus.test.ts'))
        : pgOnly
          ? TEST_FILES.map((p) => p.replace(/\*\.test\.ts$/, '*.pg.test.ts'))
          : TEST_FILES,
      exclude: [
        '**/node_modules/**',
        '**/dist/**',
        'bench/.peers/**',
        ...(corpus ? [] : [CORPUS_FILES]),
        ...(pgOnly ? [] : [PG_FILES]),
      ],
      testTimeout: 60_000,
      hookTimeout: 180_000,
      pool: 'forks',
      globalSetup: [
        // The corpus set stops before any test when the shared data is missing: loud, not skipped.
        ...(corpus ? ['tests/support/require-shared.ts'] : []),
        // Builds the stand-in models once before any test (a no-op when their inputs are unchanged).
        'packages/embed/scripts/vitest-global-setup.ts',
      ],
    },
  };
});
