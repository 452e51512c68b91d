import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type NewsragError, newsragError } from '../errors.js';
import { indexAnalyzer } from '../text/analyzers.js';
import { fsyncDir } from './atomic.js';
import type { ArticleUpsert } from './contract.js';
import { FolderIndexStore } from './folder-store.js';
import { CURRENT_FILE, parseGenerationName } from './layout.js';
import { acquireWriterLock } from './lock.js';
import type { FolderIndexReader } from './reader.js';
import { SQLITE_FILE } from './sqlite/schema.js';
import type { SqliteIndexReader } from './sqlite/sqlite-reader.js';
import { SqliteIndexStore } from './sqlite/sqlite-store.js';

/** What {@link migrateFolderToSqlite} did. */
export interface MigrationResult {
  articles: number;
  chunks: number;
  seconds: number;
  /** Whether the folder-format files were removed (after verification). */
  removedOld: boolean;
}

export interface MigrateOptions {
  /** Articles per write transaction (default 2,000): bounds the memory of one batch. */
  batchArticles?: number;
  /** Keep the folder-format files after a verified migration (default false: removed). */
  keepOld?: boolean;
}

const TEMP_PREFIX = 'migrate.tmp-';

function failed(dir: string, problem: string): NewsragError {
  return newsragError('INDEX_CORRUPT', {
    subject: `The SQLite migration of index ${dir}`,
    problem: `it failed verification (${problem})`,
    fix: 'the folder index was left as it was',
  });
}

/** Rows `every`-th apart, at most `n` of them. */
function sampleRows(count: number, n: number): number[] {
  if (count === 0) return [];
  const step = Math.max(1, Math.floor(count / n));
  const rows: number[] = [];
  for (let r = 0; r < count && rows.length < n; r += step) rows.push(r);
  return rows;
}

/**
 * Checks the migrated index against the source: the same article records, the same chunk
 * and vector in a sample of rows, the same dense top-10 (ids and scores) for sampled
 * vectors, and the same document frequency for the words of sampled chunks (both engines
 * use the same tokenizer and term processing, so these must agree exactly).
 */
export function verifyMigration(src: FolderIndexReader, dst: SqliteIndexReader, dir: string): void {
  if (src.articleCount !== dst.articleCount || src.chunkCount !== dst.chunkCount) {
    throw failed(
      dir,
      `${dst.articleCount} articles / ${dst.chunkCount} chunks, expected ${src.articleCount} / ${src.chunkCount}`,
    );
  }
  for (const a of src.articles()) {
    if (JSON.stringify(dst.article(a.id)) !== JSON.stringify(a)) throw failed(dir, `article ${a.id} differs`);
  }
  const dstRow = (c: { articleId: string; ordinal: number }): number => dst.rowsOf(c.articleId).first + c.ordinal;
  for (const row of sampleRows(src.chunkCount, 50)) {
    const c = src.chunk(row);
    const other = dst.chunk(dstRow(c));
    if (JSON.stringify(other) !== JSON.stringify(c)) throw failed(dir, `chunk ${c.id} differs`);
    const v = src.vector(row);
    const w = dst.vector(dstRow(c));
    for (let j = 0; j < v.length; j++) if (v[j] !== w[j]) throw failed(dir, `the vector of chunk ${c.id} differs`);
  }
  for (const row of sampleRows(src.chunkCount, 10)) {
    const q = src.vector(row);
    const a = src.denseSearch(q, 10).map((h) => `${src.chunk(h.row).id}:${h.score.toFixed(6)}`);
    const b = dst.denseSearch(q, 10).map((h) => `${dst.chunk(h.row).id}:${h.score.toFixed(6)}`);
    if (a.join() !== b.join()) throw failed(dir, `dense search from chunk ${src.chunk(row).id} differs`);
    if (!dst.documentFrequency) continue;
    for (const word of new Set(indexAnalyzer.terms(src.chunk(row).text).slice(0, 8))) {
      const x = src.documentFrequency(word);
      const y = dst.documentFrequency(word);
      if (x !== y) throw failed(dir, `the document frequency of "${word}" is ${y}, expected ${x}`);
    }
  }
}

/**
 * Migrates the folder-format index in `dir` to the SQLite engine: under the folder
 * writer's lock, copies every article (records, chunks, vectors; the lexical postings are built
 * from the chunk texts) into `index.sqlite` in a temporary folder in batches, verifies it
 * ({@link verifyMigration}), then moves it into place with one rename. The old files stay
 * until then; after the moved file is opened and counted again they are removed (unless
 * `keepOld`). A crash at any moment leaves the folder index usable (and a temporary folder
 * the next migration removes).
 * @throws INDEX_NOT_FOUND without a folder index; INDEX_LOCKED while a writer runs;
 * INDEX_CORRUPT when verification fails (nothing is changed then).
 */
export async function migrateFolderToSqlite(dir: string, options: MigrateOptions = {}): Promise<MigrationResult> {
  const started = performance.now();
  const location = resolve(dir);
  const lock = await acquireWriterLock(location);
  try {
    const src = (await new FolderIndexStore(location).open()) as FolderIndexReader | null;
    if (!src) throw newsragError('INDEX_NOT_FOUND', { index: location, detail: 'in the folder format to migrate' });
    for (const entry of await readdir(location)) {
      if (entry.startsWith(TEMP_PREFIX)) await rm(join(location, entry), { recursive: true, force: true });
    }
    const tmpDir = join(location, `${TEMP_PREFIX}${process.pid}`);
    await mkdir(tmpDir);
    try {
      const target = new SqliteIndexStore(tmpDir);
      const d = src.manifest.dimensions;
      const articles = src.articles();
      const batch = options.batchArticles ?? 2_000;
      for (let i = 0; i < articles.length || i === 0; i += batch) {
        const upserts: ArticleUpsert[] = articles.slice(i, i + batch).map((record) => {
          const { first, count } = src.rowsOf(record.id);
          return {
            record,
            chunks: Array.from({ length: count }, (_, k) => src.chunk(first + k)),
            vectors: src.matrix().slice(first * d, (first + count) * d),
          };
        });
        await target.commit({
          fingerprint: src.manifest.fingerprint,
          fingerprintId: src.manifest.fingerprintId,
          dimensions: d,
          upserts,
          removals: [],
        });
        if (articles.length === 0) break;
      }
      const migrated = await target.open();
      if (!migrated) throw failed(location, 'the new index is empty');
      try {
        verifyMigration(src, migrated, location);
      } finally {
        migrated.close();
      }
      // Everything into the main file, so the one rename below moves the whole index.
      const db = new Database(target.file);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('journal_mode = DELETE');
      db.close();
      await rename(target.file, join(location, SQLITE_FILE));
      await fsyncDir(location);
    } finally {
      await rm(tmpDir, { recursive: true, force: true });
    }
    const moved = await new SqliteIndexStore(location).open();
    if (!moved || moved.chunkCount !== src.chunkCount || moved.articleCount !== src.articleCount) {
      moved?.close();
      throw failed(location, 'the moved index.sqlite does not hold what was verified');
    }
    moved.close();
    if (!options.keepOld) {
      for (const entry of await readdir(location)) {
        if (parseGenerationName(entry) !== null || entry === CURRENT_FILE) {
          await rm(join(location, entry), { recursive: true, force: true });
        }
      }
    }
    return {
      articles: src.articleCount,
      chunks: src.chunkCount,
      seconds: (performance.now() - started) / 1000,
      removedOld: !options.keepOld,
    };
  } finally {
    await lock.release();
  }
}
