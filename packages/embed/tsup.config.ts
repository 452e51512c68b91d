import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/internals.ts', 'src/inference-worker.ts'],
  // The worker is loaded by path at run time and has no types to publish.
  dts: { entry: ['src/index.ts', 'src/internals.ts'] },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
