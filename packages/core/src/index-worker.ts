/**
 * Worker thread that runs one `index()` of a knowledge base opened with
 * `indexInWorker` (see kb.ts): it creates its own embedder for the same model, runs
 * {@link runIndex} on the same engine's store, posts progress, and ends with the summary or
 * the error. The caller's thread only loads the new generation afterwards.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EmbedDtype, EmbedderFingerprint } from '@newsrag/embed';
import { modelFacts, NewsragError, newsragError } from './errors.js';
import { runIndex } from './indexer.js';
import { resolveEmbedder } from './model.js';
import { type IndexEngine, storeFor } from './store/select.js';
import type { IndexProgress, IndexSummary } from './types.js';

/** What the worker is asked to do (structured-cloned). */
export interface IndexJob {
  indexDir: string;
  /** The knowledge base's engine (its store is opened by name here). */
  engine: IndexEngine;
  model: string;
  dtype: EmbedDtype;
  modelDir: string | undefined;
  /** The fingerprint of the index as the caller opened it (null: none yet). */
  indexFingerprint: EmbedderFingerprint | null;
  /** The caller's embedder: the worker's must be the same model. */
  fingerprintId: string;
  paths: string[];
  prune: boolean;
  rebuild: boolean;
  followExternalSymlinks: boolean;
}

export type IndexWorkerMessage =
  | { type: 'progress'; progress: IndexProgress }
  | { type: 'done'; summary: IndexSummary; generation: number | null }
  | { type: 'error'; code: string | null; message: string };

/** Set by a `{ type: 'stop' }` message (the knowledge base is closing): the run ends after its current batch. */
let stopRequested = false;
const onMessage = (m: unknown) => {
  if ((m as { type?: unknown } | null)?.type === 'stop') stopRequested = true;
};
parentPort?.on('message', onMessage);

async function run(job: IndexJob): Promise<void> {
  const post = (m: IndexWorkerMessage) => parentPort?.postMessage(m);
  const embedder = await resolveEmbedder({
    model: job.model,
    dtype: job.dtype,
    modelDir: job.modelDir,
    indexFingerprint: job.indexFingerprint,
  });
  let done: IndexWorkerMessage;
  try {
    if (embedder.fingerprintId !== job.fingerprintId) {
      // The knowledge base's model is the one the index was (or will be) built with.
      throw newsragError('INDEX_MODEL_MISMATCH', {
        index: job.indexDir,
        built: { fingerprintId: job.fingerprintId },
        inUse: modelFacts(embedder),
      });
    }
    const { summary, reader } = await runIndex({
      store: storeFor(job.indexDir, job.engine),
      embedder,
      paths: job.paths,
      prune: job.prune,
      rebuild: job.rebuild,
      followExternalSymlinks: job.followExternalSymlinks,
      onProgress: (progress) => {
        // Thrown between batches: no onnxruntime call is in flight, and nothing is written.
        if (stopRequested) throw new Error('stopped because the knowledge base is closing');
        post({ type: 'progress', progress });
      },
    });
    done = { type: 'done', summary, generation: reader?.manifest.generation ?? null };
  } finally {
    await embedder.dispose();
  }
  // Only now: the ONNX session is released before the caller may tear the thread down
  // (terminating a thread while onnxruntime releases a session aborts the whole process).
  post(done);
}

run(workerData as IndexJob)
  .catch((error: unknown) => {
    parentPort?.postMessage({
      type: 'error',
      code: error instanceof NewsragError ? error.code : null,
      message: error instanceof Error ? error.message : String(error),
    } satisfies IndexWorkerMessage);
  })
  // Stop listening so the thread can end by itself.
  .finally(() => parentPort?.off('message', onMessage));
