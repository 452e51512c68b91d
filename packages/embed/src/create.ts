import { AUTO_MODEL, resolveAutoModel } from './auto.js';
import { fingerprintId, weightsHash } from './fingerprint.js';
import type { WorkerLoad } from './inference-worker-client.js';
import { loadModel } from './load.js';
import { type EmbedderOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { TransformersEmbedder } from './transformers-embedder.js';
import type { Embedder } from './types.js';

/**
 * Creates an {@link Embedder} on a transformers.js model.
 *
 * The model is found in this order: `localDir`, the cache folder, a download from the
 * hub (with a progress bar when stderr is a terminal). `model: 'auto'` picks the real
 * default model or, offline and uncached, the stand-in with a notice.
 *
 * Loads are serialised process-wide because transformers.js keeps its settings in one
 * global `env` object; embedding itself runs concurrently across embedders.
 *
 * @throws EmbedError `EMBED_BAD_OPTIONS`, `EMBED_MODEL_UNAVAILABLE`, `EMBED_MODEL_INVALID`,
 *   `EMBED_STANDIN_MISSING`.
 */
export async function createEmbedder(options: EmbedderOptions = {}): Promise<Embedder> {
  let resolved = resolveOptions(options);
  if (resolved.model === AUTO_MODEL) resolved = resolveOptions({ ...options, model: await resolveAutoModel(options) });
  const loaded = await loadModel(resolved);
  try {
    const hash = await weightsHash(loaded.dir, loaded.weightsFile);
    const local = loaded.source === 'local' || loaded.source === 'standin';
    return await TransformersEmbedder.create(
      loaded,
      {
        batchSize: resolved.batchSize,
        maxTokens: resolved.maxTokens,
        inferenceThread: resolved.inferenceThread,
        queryCacheSize: resolved.queryCacheSize,
        workerLoad: workerLoadOf(resolved),
        fingerprint: {
          modelId: resolved.modelId,
          revision: local ? 'local' : resolved.revision,
          weightsHash: hash,
          dtype: resolved.dtype,
          pooling: resolved.pooling,
          normalize: resolved.normalize,
          queryPrefix: resolved.queryPrefix,
          documentPrefix: resolved.documentPrefix,
        },
      },
      fingerprintId,
    );
  } catch (error) {
    await loaded.model.dispose();
    throw error;
  }
}

/** The options a worker thread can be sent: the notice callback cannot cross threads. */
function workerLoadOf(resolved: ResolvedOptions): WorkerLoad {
  const { onNotice: _notices, ...load } = resolved;
  return load;
}
