import path from 'node:path';
import type { EmbedDtype } from './types.js';

/** The ONNX file transformers.js loads for a dtype (it maps q8 to the `_quantized` suffix). */
export function onnxFileName(dtype: EmbedDtype): string {
  return dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx';
}

/** Files a BERT-style embedding model needs; all must be present for a folder to count. */
export function requiredModelFiles(dtype: EmbedDtype): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFileName(dtype)];
}

/**
 * The URL of one file of a hub model, built exactly as transformers.js builds it
 * (`remoteHost` + template with `{model}` and `{revision}` filled in + file).
 */
export function hubFileUrl(
  remoteHost: string,
  remotePathTemplate: string,
  modelId: string,
  revision: string,
  file: string,
): string {
  const middle = remotePathTemplate
    .replaceAll('{model}', modelId)
    .replaceAll('{revision}', encodeURIComponent(revision));
  return [remoteHost.replace(/\/+$/, ''), middle.replace(/^\/+|\/+$/g, ''), file.replace(/^\/+/, '')]
    .filter((part) => part !== '')
    .join('/');
}

/**
 * Where transformers.js' file cache keeps a hub model: `<cacheDir>/<model>/` for the
 * `main` revision and `<cacheDir>/<model>/<revision>/` for any other.
 */
export function cachedModelDir(cacheDir: string, modelId: string, revision: string): string {
  return revision === 'main' ? path.join(cacheDir, modelId) : path.join(cacheDir, modelId, revision);
}

/** Result of asking the hub whether it serves a model. */
export type HubProbe = { ok: true } | { ok: false; reason: 'unreachable' | 'not-found' | 'refused'; detail: string };

/**
 * Asks the hub for the first byte of the model's config.json, giving up after
 * `timeoutMs`, so that an offline machine fails in seconds instead of hanging in
 * transformers.js' own fetches.
 */
export async function probeHub(configUrl: string, timeoutMs: number): Promise<HubProbe> {
  let response: Response;
  try {
    response = await fetch(configUrl, {
      headers: { Range: 'bytes=0-0' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const detail =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (cause?.code ?? (error instanceof Error ? error.message : String(error)));
    return { ok: false, reason: 'unreachable', detail };
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.ok) return { ok: true };
  if (response.status === 404) return { ok: false, reason: 'not-found', detail: `HTTP 404 for ${configUrl}` };
  return { ok: false, reason: 'refused', detail: `HTTP ${response.status} for ${configUrl}` };
}
