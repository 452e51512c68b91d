import { AUTO_MODEL, createEmbedder, type Embedder, type EmbedderFingerprint, PRESETS } from '@newsrag/embed';

/** The preset whose model id a fingerprint names, so an index reopens with the same settings. */
function presetNameFor(modelId: string): string | undefined {
  return Object.entries(PRESETS).find(([, preset]) => preset.modelId === modelId)?.[0];
}

/**
 * The embedder a knowledge base should use. `auto` means the model the index was
 * built with (its fingerprint says which, with its dtype, pooling and prefixes);
 * for a new index, the embed package's `auto` (the real default model, else the
 * stand-in with a notice).
 */
export function resolveEmbedder(params: {
  model: string;
  dtype: 'fp32' | 'q8';
  modelDir?: string | undefined;
  indexFingerprint: EmbedderFingerprint | null;
  onNotice?: ((line: string) => void) | undefined;
}): Promise<Embedder> {
  const { model, dtype, indexFingerprint: fp, onNotice } = params;
  const notice = {
    ...(onNotice ? { onNotice } : {}),
    ...(params.modelDir !== undefined ? { localDir: params.modelDir } : {}),
  };
  if (model !== AUTO_MODEL || !fp) return createEmbedder({ model, dtype, ...notice });
  const preset = presetNameFor(fp.modelId);
  if (preset) return createEmbedder({ model: preset, dtype: fp.dtype, ...notice });
  return createEmbedder({
    model: fp.modelId,
    dtype: fp.dtype,
    pooling: fp.pooling,
    normalize: fp.normalize,
    queryPrefix: fp.queryPrefix,
    documentPrefix: fp.documentPrefix,
    ...(fp.revision !== 'local' ? { revision: fp.revision } : {}),
    ...notice,
  });
}
