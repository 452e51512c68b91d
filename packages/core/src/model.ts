import {
  AUTO_MODEL,
  createEmbedder,
  type EmbedDtype,
  type Embedder,
  type EmbedderFingerprint,
  PRESETS,
} from '@newsrag/embed';
import { newsragError, REBUILD_COMMAND } from './errors.js';
import { excerpt } from './excerpt.js';

/** A hub model id, `owner/name`: letters, digits, `.`, `_`, `-`; no segment is `.` or `..`. */
const HUB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
/** A git branch, tag or commit name as the hub serves them (no `..`, no leading `/` or `.`). */
const REVISION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Checks the model id and revision an index's manifest names before they become cache
 * paths or hub URLs: a tampered manifest must not reach outside the model cache
 * (`../../etc`) or another host. Pure.
 * @throws INDEX_CORRUPT naming the field.
 */
export function checkManifestModel(
  fp: Pick<EmbedderFingerprint, 'modelId' | 'revision'>,
  where = 'the index manifest',
): void {
  const badId =
    typeof fp.modelId !== 'string' ||
    !HUB_ID.test(fp.modelId) ||
    fp.modelId.split('/').some((p) => /^\.+$/.test(p) || p.includes('..'));
  if (badId) {
    throw newsragError('INDEX_CORRUPT', {
      subject: `The model named in ${where}`,
      problem: `fingerprint.modelId ${excerpt(fp.modelId)} is not a model id of the form owner/name`,
      fix: `rebuild the index with ${REBUILD_COMMAND}`,
    });
  }
  if (typeof fp.revision !== 'string' || !REVISION.test(fp.revision) || fp.revision.includes('..')) {
    throw newsragError('INDEX_CORRUPT', {
      subject: `The model named in ${where}`,
      problem: `fingerprint.revision ${excerpt(fp.revision)} is not a branch, tag or commit name`,
      fix: `rebuild the index with ${REBUILD_COMMAND}`,
    });
  }
}

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
export async function resolveEmbedder(params: {
  model: string;
  dtype: EmbedDtype;
  modelDir?: string | undefined;
  indexFingerprint: EmbedderFingerprint | null;
  onNotice?: ((line: string) => void) | undefined;
  /** Forward passes in a worker thread (see `embedInWorker`). */
  inWorker?: boolean | undefined;
}): Promise<Embedder> {
  const { model, dtype, indexFingerprint: fp, onNotice } = params;
  const notice = {
    ...(onNotice ? { onNotice } : {}),
    ...(params.modelDir !== undefined ? { localDir: params.modelDir } : {}),
    ...(params.inWorker ? { inferenceThread: 'worker' as const } : {}),
  };
  if (model !== AUTO_MODEL || !fp) return createEmbedder({ model, dtype, ...notice });
  // `auto` takes the model from the index: only a well-formed id and revision.
  checkManifestModel(fp);
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
