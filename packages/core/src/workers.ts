import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The worker entry points of this package (`src/<name>.ts`, built to `dist/<name>.js`). */
export type WorkerName = 'html-worker' | 'index-worker' | 'feed-worker';

/**
 * Starts one of the package's worker threads. From the built package it runs
 * `dist/<name>.js`; from the sources (tests, tsx) a worker cannot load TypeScript on
 * Node 20 by itself, so a tiny bootstrap registers tsx in the thread first.
 */
export function startWorker(name: WorkerName, workerData?: unknown): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const entry = new URL(`./${name}.ts`, here).href;
    // require.resolve finds the CommonJS build; the thread needs tsx's ESM entry beside it.
    const tsx = pathToFileURL(
      createRequire(here)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true, workerData });
  }
  return new Worker(new URL(`./${name}.js`, here), { workerData });
}
