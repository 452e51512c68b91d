import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchTensors } from './batch.js';
import { EmbedError, type EmbedErrorCode } from './errors.js';
import type { Forward, PooledBatch } from './forward.js';
import type { ResolvedOptions } from './options.js';
import type { Pooling } from './types.js';

/** The resolved options a worker loads its model with: everything but the notice callback. */
export type WorkerLoad = Omit<ResolvedOptions, 'onNotice'>;

/** What the inference worker is started with (structured-cloneable). */
export interface InferenceWorkerData {
  load: WorkerLoad;
  pooling: Pooling;
  normalize: boolean;
}

/** Messages between the embedder and its inference worker. */
export type ToWorker = { id: number; tensors: BatchTensors };
export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'failed'; code: EmbedErrorCode; message: string }
  | { kind: 'result'; id: number; pooled: Float32Array; width: number }
  | { kind: 'error'; id: number; code: EmbedErrorCode; message: string };

/**
 * Starts the inference worker and waits until its model is loaded. Passes are sent one at
 * a time by the embedder's queue; their inputs and outputs are transferred, not copied.
 *
 * @throws EmbedError the worker's own load error (same code), or `EMBED_MODEL_INVALID`
 *   when the thread dies before it is ready.
 */
export async function startInferenceWorker(
  load: WorkerLoad,
  pooling: Pooling,
  normalize: boolean,
): Promise<{ forward: Forward; release: () => Promise<void> }> {
  const data: InferenceWorkerData = { load, pooling, normalize };
  const worker = startModuleWorker(import.meta.url, 'inference-worker', data);
  const pending = new Map<number, { resolve: (r: PooledBatch) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;
  const failAll = (error: Error) => {
    dead = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    const onMessage = (m: FromWorker) => {
      if (m.kind === 'ready') {
        worker.off('error', onError);
        resolve();
      } else if (m.kind === 'failed') reject(new EmbedError(m.code, m.message));
    };
    const onError = (error: Error) =>
      reject(
        new EmbedError('EMBED_MODEL_INVALID', `The inference worker failed to start: ${error.message}`, {
          cause: error,
        }),
      );
    worker.once('message', onMessage);
    worker.once('error', onError);
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  worker.on('message', (m: FromWorker) => {
    if (m.kind !== 'result' && m.kind !== 'error') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.kind === 'result') p.resolve({ pooled: m.pooled, width: m.width });
    else p.reject(new EmbedError(m.code, m.message));
  });
  worker.on('error', (error) =>
    failAll(new EmbedError('EMBED_MODEL_INVALID', `The inference worker crashed: ${error.message}`, { cause: error })),
  );
  worker.on('exit', () => {
    if (!dead) failAll(new EmbedError('EMBED_DISPOSED', 'The inference worker has stopped.'));
  });
  // An idle worker must not keep the process alive; a pass in flight does.
  worker.unref();

  const forward: Forward = (tensors) => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<PooledBatch>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (pending.size === 1) worker.ref();
      const message: ToWorker = { id, tensors };
      // toBatchTensors allocates fresh ArrayBuffers, never shared ones: moved, not copied.
      const buffers = [
        tensors.inputIds.buffer,
        tensors.attentionMask.buffer,
        tensors.tokenTypeIds.buffer,
      ] as ArrayBuffer[];
      worker.postMessage(message, buffers);
    }).finally(() => {
      if (pending.size === 0) worker.unref();
    });
  };
  const release = async () => {
    await worker.terminate();
  };
  return { forward, release };
}

/**
 * Starts a worker thread on a module of this package beside `baseUrl` (`<name>.js` when
 * built). From the sources (tests, tsx) a worker cannot load TypeScript on Node 20 by
 * itself, so a tiny bootstrap registers tsx in the thread first.
 */
export function startModuleWorker(baseUrl: string, name: string, workerData?: unknown): Worker {
  if (baseUrl.endsWith('.ts')) {
    const entry = new URL(`./${name}.ts`, baseUrl).href;
    // require.resolve finds the CommonJS build; the thread needs tsx's ESM entry beside it.
    const tsx = pathToFileURL(
      createRequire(baseUrl)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true, workerData });
  }
  return new Worker(new URL(`./${name}.js`, baseUrl), { workerData });
}
