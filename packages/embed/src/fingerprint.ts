import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmbedderFingerprint } from './types.js';

/** Keys in a fixed order so the same fingerprint always serialises the same way. */
const FINGERPRINT_KEYS = [
  'modelId',
  'revision',
  'weightsHash',
  'dtype',
  'pooling',
  'normalize',
  'queryPrefix',
  'documentPrefix',
  'dimensions',
] as const satisfies readonly (keyof EmbedderFingerprint)[];

/** The fingerprint as canonical JSON (fixed key order, no whitespace). */
export function canonicalFingerprint(fp: EmbedderFingerprint): string {
  return JSON.stringify(FINGERPRINT_KEYS.map((key) => [key, fp[key]]));
}

/**
 * A short stable id of a whole fingerprint: the first 16 hex chars of the sha256 of
 * its canonical JSON. Two embedders produce comparable vectors only if their ids match.
 */
export function fingerprintId(fp: EmbedderFingerprint): string {
  return createHash('sha256').update(canonicalFingerprint(fp)).digest('hex').slice(0, 16);
}

/** sha256 of a file, first 16 hex chars, streamed so large weights don't sit in memory. */
export async function hashFile(file: string): Promise<string> {
  return (await sha256Hex(file)).slice(0, 16);
}

/** The full sha256 of a file in hex, streamed. */
export async function sha256Hex(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The weights hash recorded by the stand-in builder in `newsrag-standin.json`, if the
 * folder has one and it names `relFile` (saves rehashing on every load).
 * The manifest may record hashes as `{ files: { "onnx/model.onnx": { sha256 } } }`,
 * `{ files: { "onnx/model.onnx": "<hex>" } }` or `{ sha256: { "onnx/model.onnx": "<hex>" } }`.
 */
export async function manifestWeightsHash(dir: string, relFile: string): Promise<string | null> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'newsrag-standin.json'), 'utf8'));
  } catch {
    return null;
  }
  const found = findHash(manifest, relFile) ?? findHash(manifest, path.basename(relFile));
  return found === null ? null : found.slice(0, 16).toLowerCase();
}

function findHash(node: unknown, name: string): string | null {
  if (node === null || typeof node !== 'object') return null;
  const record = node as Record<string, unknown>;
  const direct = record[name];
  if (typeof direct === 'string' && /^[0-9a-f]{16,}$/i.test(direct)) return direct;
  if (direct !== null && typeof direct === 'object') {
    const inner = (direct as Record<string, unknown>).sha256;
    if (typeof inner === 'string' && /^[0-9a-f]{16,}$/i.test(inner)) return inner;
  }
  for (const value of Object.values(record)) {
    const nested = findHash(value, name);
    if (nested !== null) return nested;
  }
  return null;
}

/** The weights hash of a model folder: from the stand-in manifest when present, else computed. */
export async function weightsHash(dir: string, relFile: string): Promise<string> {
  return (await manifestWeightsHash(dir, relFile)) ?? hashFile(path.join(dir, relFile));
}
