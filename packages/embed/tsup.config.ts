import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/inference-worker.ts'],
  dts: { entry: 'src/index.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
