import { env } from '@huggingface/transformers';

/** The fields of transformers.js' global `env` that a load depends on. */
export interface LoadEnv {
  allowLocalModels: boolean;
  allowRemoteModels: boolean;
  remoteHost: string;
  remotePathTemplate: string;
  cacheDir: string;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `load` with transformers.js' global `env` set to `settings`, then restores it.
 *
 * transformers.js reads hub host, cache folder and local/remote switches from one
 * process-wide object, so two loads with different settings running at once would
 * see each other's values. Loads are therefore queued: one at a time per process.
 * Inference does not read `env` and is not serialised.
 */
export function withTransformersEnv<T>(settings: LoadEnv, load: () => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const saved: LoadEnv = {
      allowLocalModels: env.allowLocalModels,
      allowRemoteModels: env.allowRemoteModels,
      remoteHost: env.remoteHost,
      remotePathTemplate: env.remotePathTemplate,
      cacheDir: env.cacheDir ?? '',
    };
    Object.assign(env, settings, { useFSCache: true, useBrowserCache: false, useCustomCache: false });
    try {
      return await load();
    } finally {
      Object.assign(env, saved);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
