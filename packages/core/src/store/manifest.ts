import { EMBED_DTYPES } from '@newsrag/embed';
import { z } from 'zod';
import { newsragError } from '../errors.js';
import type { ArticleRecord, Chunk } from '../types.js';
import type { Manifest } from './contract.js';
import { corrupt, rebuildHint } from './errors.js';

/** The on-disk format version this code reads and writes. */
export const SCHEMA_VERSION = 1;

const fingerprintSchema = z.object({
  modelId: z.string().min(1),
  revision: z.string(),
  weightsHash: z.string().nullable(),
  dtype: z.enum(EMBED_DTYPES),
  pooling: z.enum(['mean', 'cls']),
  normalize: z.boolean(),
  queryPrefix: z.string(),
  documentPrefix: z.string(),
  dimensions: z.number().int().positive(),
});

const count = z.number().int().nonnegative();

/** Unknown fields are tolerated (dropped), so a newer minor writer stays readable. */
export const manifestSchema = z.object({
  schemaVersion: z.number().int().positive(),
  fingerprint: fingerprintSchema,
  fingerprintId: z.string().min(1),
  dimensions: z.number().int().positive(),
  articleCount: count,
  chunkCount: count,
  createdAt: z.string(),
  updatedAt: z.string(),
  generation: z.number().int().positive(),
});

const metaSchema = z.object({
  title: z.string().optional(),
  date: z.string().optional(),
  url: z.string().optional(),
  source: z.string().optional(),
  author: z.string().optional(),
  // Optional like the others: an index written before these fields existed still loads.
  collection: z.string().optional(),
  language: z.string().optional(),
});

export const articleRecordSchema = z.object({
  id: z.string().min(1),
  path: z.string(),
  hash: z.string(),
  meta: metaSchema,
  length: count,
  chunkCount: count,
  // Optional: indexes written before signatures still load (schemaVersion stays 1); an older
  // newsrag drops the field as unknown, and the next run of this one recomputes it.
  signature: z.object({ scheme: z.string().min(1), minhash: z.string(), shingles: count }).optional(),
});

export const articleRecordsSchema = z.array(articleRecordSchema);

/** Formats the first zod issue as `field: problem`. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${path}: ${issue.message}`;
}

/**
 * Parses and validates a manifest's text. A newer `schemaVersion` is reported as
 * INDEX_SCHEMA_NEWER before anything else, since its other fields may have changed.
 */
export function parseManifest(text: string, file: string, dir: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, `not valid JSON (${(error as Error).message})`, dir, error);
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    throw newsragError('INDEX_SCHEMA_NEWER', {
      index: dir,
      file,
      version,
      supported: SCHEMA_VERSION,
      fix: rebuildHint(dir),
    });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw corrupt(file, describeZodError(parsed.error), dir, parsed.error);
  const manifest = parsed.data;
  if (manifest.dimensions !== manifest.fingerprint.dimensions) {
    throw corrupt(
      file,
      `dimensions ${manifest.dimensions} differ from fingerprint.dimensions ${manifest.fingerprint.dimensions}`,
      dir,
    );
  }
  return manifest;
}

export function parseArticles(text: string, file: string, dir: string): ArticleRecord[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, `not valid JSON (${(error as Error).message})`, dir, error);
  }
  const parsed = articleRecordsSchema.safeParse(raw);
  if (!parsed.success) throw corrupt(file, describeZodError(parsed.error), dir, parsed.error);
  return parsed.data;
}

const CHUNK_NUMBERS = ['ordinal', 'start', 'end', 'tokens'] as const;

/**
 * Why `value` is not a {@link Chunk}, or null when it is. Hand-written rather than
 * zod: it runs once per chunk on every load (25k+ times), and this is ~5× faster.
 */
export function chunkProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const c = value as Record<string, unknown>;
  for (const key of ['id', 'articleId'] as const) {
    if (typeof c[key] !== 'string' || c[key] === '') return `${key}: expected a non-empty string`;
  }
  if (typeof c.text !== 'string') return 'text: expected a string';
  for (const key of CHUNK_NUMBERS) {
    const n = c[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return `${key}: expected an integer ≥ 0`;
  }
  return null;
}

/**
 * The `[start, end)` byte ranges of the `\n`-terminated lines of `data`, or null when
 * the last line lacks its `\n` (a write cut short). Scans bytes, so `data` may exceed
 * V8's ~512 MB string limit.
 */
export function lineRanges(data: Uint8Array): { starts: number[]; ends: number[] } | null {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length > 0 && buf[buf.length - 1] !== 0x0a) return null;
  const starts: number[] = [];
  const ends: number[] = [];
  let start = 0;
  while (start < buf.length) {
    const end = buf.indexOf(0x0a, start);
    starts.push(start);
    ends.push(end);
    start = end + 1;
  }
  return { starts, ends };
}

/**
 * Parses `chunks.jsonl`, given as bytes (a Buffer may hold up to 4 GiB, a string only
 * ~512 MB) or text; `expected` lines exactly, so a truncated file is caught.
 */
export function parseChunks(data: Uint8Array | string, expected: number, file: string, dir: string): Chunk[] {
  const buf =
    typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (expected === 0) {
    if (buf.length !== 0) throw corrupt(file, 'expected no chunks but the file is not empty', dir);
    return [];
  }
  // Each line ends with '\n'; a missing final newline means the write was cut short.
  const lines = buf.length === 0 ? null : lineRanges(buf);
  if (!lines) throw corrupt(file, 'truncated (the last line is incomplete)', dir);
  const { starts, ends } = lines;
  if (starts.length !== expected) {
    throw corrupt(file, `has ${starts.length} lines, the manifest says ${expected} chunks`, dir);
  }
  const chunks: Chunk[] = new Array(starts.length);
  for (let i = 0; i < starts.length; i++) {
    let raw: unknown;
    try {
      raw = JSON.parse(buf.toString('utf8', starts[i], ends[i]));
    } catch (error) {
      throw corrupt(file, `line ${i + 1} is not valid JSON`, dir, error);
    }
    const problem = chunkProblem(raw);
    if (problem) throw corrupt(file, `line ${i + 1}: ${problem}`, dir);
    const c = raw as Chunk;
    // Rebuilt field by field so unknown fields are dropped, as zod would.
    chunks[i] = {
      id: c.id,
      articleId: c.articleId,
      ordinal: c.ordinal,
      start: c.start,
      end: c.end,
      text: c.text,
      tokens: c.tokens,
    };
  }
  return chunks;
}
