/**
 * The inference worker: loads the embedder's model from its folder and runs the forward
 * passes (with pooling) the embedder sends, so they never block the embedder's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EmbedError } from './errors.js';
import { inProcessForward } from './forward.js';
import type { FromWorker, InferenceWorkerData, ToWorker } from './inference-worker-client.js';
import { loadModel } from './load.js';

const port = parentPort;
if (!port) throw new Error('inference-worker.ts runs as a worker thread only');
const data = workerData as InferenceWorkerData;

const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const codeOf = (e: unknown) => (e instanceof EmbedError ? e.code : 'EMBED_MODEL_INVALID');
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

try {
  const loaded = await loadModel({ ...data.load, onNotice: () => undefined });
  const forward = inProcessForward(loaded, data.pooling, data.normalize);
  // Passes arrive one at a time (the embedder queues them); run them in order regardless.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (m: ToWorker) => {
    queue = queue.then(async () => {
      try {
        const { pooled, width } = await forward(m.tensors);
        post({ kind: 'result', id: m.id, pooled, width }, [pooled.buffer as ArrayBuffer]);
      } catch (error) {
        post({ kind: 'error', id: m.id, code: codeOf(error), message: messageOf(error) });
      }
    });
  });
  post({ kind: 'ready' });
} catch (error) {
  post({ kind: 'failed', code: codeOf(error), message: messageOf(error) });
}
