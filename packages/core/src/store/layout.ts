import { join } from 'node:path';

/** File names inside an index folder and inside each generation folder. */
export const CURRENT_FILE = 'CURRENT';
export const LOCK_DIR = 'write.lock';
export const LOCK_OWNER_FILE = 'write.lock.owner';
export const MANIFEST_FILE = 'manifest.json';
export const ARTICLES_FILE = 'articles.json';
export const CHUNKS_FILE = 'chunks.jsonl';
export const VECTORS_FILE = 'vectors.f32';
export const BM25_FILE = 'bm25.json';

const GENERATION_RE = /^gen-(\d{6,})$/;

/** `12` → `gen-000012`. */
export function generationName(generation: number): string {
  return `gen-${String(generation).padStart(6, '0')}`;
}

/** `gen-000012` → 12; anything else (including `gen-000012.tmp-99`) → null. */
export function parseGenerationName(name: string): number | null {
  const m = GENERATION_RE.exec(name);
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** Temporary names carry the writer's pid so a stale one is recognisable and never reused. */
export function tempName(name: string, pid: number = process.pid): string {
  return `${name}.tmp-${pid}`;
}

export function isTempName(name: string): boolean {
  return /\.tmp-\d+$/.test(name);
}

/**
 * A temp entry a writer holding the lock may delete: any but the lock's own files (claims,
 * owner records and their temps), which other processes write before they hold the lock
 * and lock.ts tidies by their pids.
 */
export function isStaleTempName(name: string): boolean {
  return isTempName(name) && !name.startsWith(`${LOCK_DIR}.`);
}

/** Paths of one generation's files. */
export function generationFiles(genDir: string) {
  return {
    manifest: join(genDir, MANIFEST_FILE),
    articles: join(genDir, ARTICLES_FILE),
    chunks: join(genDir, CHUNKS_FILE),
    vectors: join(genDir, VECTORS_FILE),
    bm25: join(genDir, BM25_FILE),
  };
}
