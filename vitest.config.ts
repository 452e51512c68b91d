import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// One config for the whole monorepo: unit tests live beside the code in each
// package (src/**/*.test.ts), cross-package and end-to-end tests in tests/.
// Workspace packages resolve to their sources so a test run never sees a stale dist/.
export default defineConfig({
  resolve: {
    alias: {
      '@newsrag/embed': src('./packages/embed/src/index.ts'),
      '@newsrag/core': src('./packages/core/src/index.ts'),
      '@newsrag/discord-bot': src('./apps/discord-bot/src/index.ts'),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/scripts/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'tests/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', 'bench/.peers/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Builds the stand-in models once before any test (a no-op when their inputs are unchanged).
    globalSetup: ['packages/embed/scripts/vitest-global-setup.ts'],
  },
});
