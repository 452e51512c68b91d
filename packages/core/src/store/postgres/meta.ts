import type { Manifest } from '../contract.js';
import { describeZodError, manifestSchema } from '../manifest.js';
import { SCHEMA_VERSION } from './schema.js';

/** The `meta` row as node-postgres returns it (bigint columns as strings). */
export interface MetaRow {
  fingerprint: Manifest['fingerprint'];
  fingerprint_id: string;
  dimensions: number;
  generation: string;
  article_count: string;
  chunk_count: string;
  text_len_sum: string;
  title_len_sum: string;
  created_at: Date;
  updated_at: Date;
}

/** The contract's manifest of a meta row. Pure. */
export function manifestOf(row: MetaRow): Manifest {
  return {
    schemaVersion: SCHEMA_VERSION,
    fingerprint: row.fingerprint,
    fingerprintId: row.fingerprint_id,
    dimensions: row.dimensions,
    articleCount: Number(row.article_count),
    chunkCount: Number(row.chunk_count),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    generation: Number(row.generation),
  };
}

/** What is wrong with a meta row (a fingerprint that is another program's JSON, a negative count), or null. Pure. */
export function metaProblem(row: MetaRow): string | null {
  const parsed = manifestSchema.safeParse(manifestOf(row));
  if (!parsed.success) return describeZodError(parsed.error);
  if (parsed.data.dimensions !== parsed.data.fingerprint.dimensions)
    return `dimensions ${parsed.data.dimensions} differ from the fingerprint's ${parsed.data.fingerprint.dimensions}`;
  return null;
}
