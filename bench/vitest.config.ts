import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The bench's own tests (pure helpers, the worker protocol, synthetic index writing):
// `npx vitest run -c bench/vitest.config.ts`. Kept out of the root config, which
// only collects packages/, apps/ and tests/.
export default defineConfig({
  root: src('..'),
  resolve: {
    // Exact matches, as in the root config: a string alias would also rewrite the subpaths.
    alias: [
      { find: /^@newsrag\/embed$/, replacement: src('../packages/embed/src/index.ts') },
      { find: /^@newsrag\/embed\/internals$/, replacement: src('../packages/embed/src/internals.ts') },
      { find: /^@newsrag\/core$/, replacement: src('../packages/core/src/index.ts') },
      { find: /^@newsrag\/core\/internals$/, replacement: src('../packages/core/src/internals.ts') },
      { find: /^@newsrag\/core\/postgres$/, replacement: src('../packages/core/src/postgres.ts') },
      { find: /^@newsrag\/discord-bot$/, replacement: src('../apps/discord-bot/src/index.ts') },
      { find: /^@newsrag\/discord-bot\/internals$/, replacement: src('../apps/discord-bot/src/internals.ts') },
    ],
  },
  test: {
    include: ['bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'bench/.peers/**'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
