import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/internals.ts', 'src/main.ts', 'src/register.ts', 'src/shards.ts'],
  format: ['esm'],
  dts: { entry: ['src/index.ts', 'src/internals.ts'] },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
