import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULTS } from '../../config.js';
import { modelFacts, NewsragError, newsragError } from '../../errors.js';
import { checkGeneration, openForCheck } from '../check.js';
import type { ConsistencyReport, IndexReader, IndexStore, IndexUpdate, Manifest, WriteOptions } from '../contract.js';
import { corrupt } from '../errors.js';
import { killPoint } from '../kill-point.js';
import { validateUpdate } from '../merge.js';
import {
  addSkipsAndTermStats,
  buildPostingsFromChunks,
  checkPostings,
  DEAD_CHUNKS_KEY,
  maintainPostings,
  PostingsBuilder,
} from './lexical.js';
import { fieldLengthsBlob, hasIndex, readManifest, readMeta, wrapSqliteError } from './load.js';
import { readArticleRows } from './open.js';
import { checkQuantized, readQuantized, upgradeToTables, vectorLayout, vectorWriter } from './quantized.js';
import { refreshSnapshot } from './refresh.js';
import {
  configure,
  FTS_TABLES_V1,
  LEXICAL_SQL,
  ORDINAL_BITS,
  SCHEMA_SQL,
  SQLITE_FILE,
  SQLITE_SCHEMA_VERSION,
  tableNames,
} from './schema.js';
import { SqliteIndexReader } from './sqlite-reader.js';
import { TermStatsDelta } from './term-stats.js';

/** Options of {@link SqliteIndexStore}. */
export interface SqliteIndexStoreOptions {
  /** Refuse (INDEX_MODEL_MISMATCH) to open an index built with another embedder fingerprint. */
  expectFingerprintId?: string;
}

/** How long a reader waits for SQLite's own short locks (WAL recovery, a checkpoint). A writer never waits. */
const READER_BUSY_MS = 5_000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')
  );
}

/**
 * An index in one SQLite database, `<folder>/index.sqlite`, through better-sqlite3 in WAL
 * mode. A write is one `BEGIN IMMEDIATE … COMMIT` transaction that touches only the rows
 * of the articles it adds, replaces or removes (their chunks and vector BLOB, one postings
 * segment per term of the chunks it adds, one `lexical_docs` row per article);
 * SQLite's write lock keeps out a second writer (INDEX_LOCKED at once) and its journal
 * makes a crash at any moment roll back to the last commit. Readers are snapshots: a
 * connection holding a read transaction, plus the vectors in the dense kernel's memory.
 */
export class SqliteIndexStore implements IndexStore {
  readonly engine = 'sqlite';
  readonly location: string;
  /** The database file. */
  readonly file: string;
  private readonly expectFingerprintId: string | undefined;
  /**
   * The newest snapshot this store handed out: a write refreshes it (reading only what the
   * write changed) instead of loading the whole index again. Weak: it does not keep a reader
   * its owner let go of.
   */
  private latest: WeakRef<SqliteIndexReader> | null = null;

  constructor(dir: string = DEFAULTS.indexDir, options: SqliteIndexStoreOptions = {}) {
    // Vectors are stored as little-endian float32 BLOBs and copied as bytes.
    if (endianness() !== 'LE')
      throw newsragError('BAD_OPTIONS', {
        subject: 'The SQLite index store',
        problem: 'needs a little-endian machine',
        fix: 'use the folder engine (--engine folder) or PostgreSQL',
      });
    this.location = resolve(dir);
    this.file = join(this.location, SQLITE_FILE);
    this.expectFingerprintId = options.expectFingerprintId;
  }

  private async exists(): Promise<boolean> {
    try {
      return (await stat(this.file)).isFile();
    } catch {
      return false;
    }
  }

  /**
   * A snapshot of the current state, or null when there is no index yet.
   * @throws INDEX_CORRUPT naming index.sqlite, INDEX_SCHEMA_NEWER, INDEX_MODEL_MISMATCH.
   */
  async open(): Promise<SqliteIndexReader | null> {
    if (!(await this.exists())) return null;
    const reader = this.openSnapshot();
    return reader && this.remember(this.checkFingerprint(reader));
  }

  private remember(reader: SqliteIndexReader): SqliteIndexReader {
    this.latest = new WeakRef(reader);
    return reader;
  }

  /** `meta.generation` of the last commit, read through a short-lived connection; null when there is no index. */
  async committedGeneration(): Promise<number | null> {
    if (!(await this.exists())) return null;
    const db = this.connect(READER_BUSY_MS);
    try {
      if (!hasIndex(db, this.file, this.location)) return null;
      const value = readMeta(db).get('generation');
      return value === undefined ? null : Number(value);
    } catch (error) {
      throw wrapSqliteError(error, this.file, this.location);
    } finally {
      db.close();
    }
  }

  /**
   * A snapshot of the current state built from `previous` (a snapshot of this store) and the
   * `changes` log: only the articles whose seqs changed since `previous` are read, the other
   * articles' records, int8 vectors and field lengths are reused. Falls back to a full
   * {@link open} when the log cannot say (a rebuild since, an upgraded file, a log that does
   * not reach back). `previous` stays usable; close it when done with it.
   */
  async refresh(previous: IndexReader): Promise<SqliteIndexReader | null> {
    if (!(previous instanceof SqliteIndexReader) || previous.file !== this.file || previous.isClosed())
      return this.open();
    if (!(await this.exists())) return null;
    const db = this.connect(READER_BUSY_MS);
    let next: SqliteIndexReader | null;
    try {
      db.exec('BEGIN');
      if (!hasIndex(db, this.file, this.location)) {
        db.exec('COMMIT');
        db.close();
        return null;
      }
      const data = refreshSnapshot(db, this.file, this.location, previous);
      if (data === null) {
        db.exec('COMMIT');
        db.close();
        return this.open();
      }
      next = new SqliteIndexReader(data, db, this.file);
    } catch (error) {
      if (db.open) db.close();
      throw wrapSqliteError(error, this.file, this.location);
    }
    return this.remember(this.checkFingerprint(next));
  }

  private checkFingerprint(reader: SqliteIndexReader): SqliteIndexReader {
    if (this.expectFingerprintId !== undefined && reader.manifest.fingerprintId !== this.expectFingerprintId) {
      reader.close();
      throw newsragError('INDEX_MODEL_MISMATCH', {
        index: this.location,
        built: modelFacts(reader.manifest),
        inUse: { fingerprintId: this.expectFingerprintId },
      });
    }
    return reader;
  }

  private connect(busyMs: number): Database.Database {
    let db: Database.Database;
    try {
      db = new Database(this.file, { fileMustExist: true });
    } catch (error) {
      throw wrapSqliteError(error, this.file, this.location);
    }
    try {
      configure(db, busyMs);
    } catch (error) {
      db.close();
      throw wrapSqliteError(error, this.file, this.location);
    }
    return db;
  }

  /**
   * Upgrades a schema-1 index (FTS5, vectors inline) to schema 2 (own postings, vector
   * tables) in one write transaction, from its stored chunk texts, titles and vectors: nothing is re-embedded, and a crash leaves the
   * schema-1 index as it was. @throws INDEX_LOCKED while another process writes it.
   */
  private upgradeIfOld(): void {
    const db = this.connect(0);
    try {
      if (!hasIndex(db, this.file, this.location) || Number(readMeta(db).get('schemaVersion')) >= SQLITE_SCHEMA_VERSION)
        return;
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if (isBusy(error)) {
          throw newsragError('INDEX_LOCKED', {
            index: this.location,
            fix: 'It needs a one-time upgrade of its search tables, which waits for that writer',
          });
        }
        throw error;
      }
      // Another process may have upgraded it between the check and the lock.
      upgradeSchema(db);
      db.exec('COMMIT');
      // The dropped FTS5 tables leave their pages free.
      compactIfWorthIt(db);
    } catch (error) {
      throw wrapSqliteError(error, this.file, this.location);
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    }
  }

  private openSnapshot(): SqliteIndexReader | null {
    this.upgradeIfOld();
    const db = this.connect(READER_BUSY_MS);
    try {
      // The read transaction starts with its first SELECT and pins the snapshot until close().
      db.exec('BEGIN');
      if (!hasIndex(db, this.file, this.location)) {
        db.exec('COMMIT');
        db.close();
        return null;
      }
      const { articles, seqs, fieldLengths } = readArticleRows(db, this.file, this.location);
      const chunkCount = articles.reduce((n, a) => n + a.chunkCount, 0);
      const manifest = readManifest(db, this.file, this.location, articles.length, chunkCount);
      const layout = vectorLayout(tableNames(db));
      const quantized = readQuantized(db, this.file, this.location, articles, manifest.dimensions, layout);
      const logStart = Number(readMeta(db).get('logStart'));
      return new SqliteIndexReader(
        {
          manifest,
          articles,
          seqs,
          quantized,
          fieldLengths,
          layout,
          logStart: Number.isInteger(logStart) ? logStart : null,
        },
        db,
        this.file,
      );
    } catch (error) {
      if (db.open) db.close();
      throw wrapSqliteError(error, this.file, this.location);
    }
  }

  /**
   * Applies `update` in one transaction and returns the committed snapshot (refreshed from
   * the newest snapshot this store handed out, when that one is still open).
   * @throws INDEX_LOCKED when another writer holds SQLite's write lock, INDEX_MODEL_MISMATCH
   * for another model's vectors, BAD_OPTIONS for an inconsistent update.
   */
  async write(update: IndexUpdate, options: WriteOptions = {}): Promise<SqliteIndexReader> {
    await this.commit(update, options);
    // The snapshot after a small write is the one before it plus what the write changed (see
    // refresh); loading the whole index again would cost seconds at 1M chunks for any write.
    const previous = options.replace ? undefined : this.latest?.deref();
    const reader = previous && !previous.isClosed() ? await this.refresh(previous) : this.openSnapshot();
    if (!reader) throw corrupt(this.file, 'holds no index right after a committed write', this.location);
    return this.remember(reader);
  }

  /**
   * {@link write} without loading the committed snapshot afterwards: for bulk loads (the
   * migration writes in batches) where nobody reads in between.
   */
  async commit(update: IndexUpdate, options: WriteOptions = {}): Promise<void> {
    validateUpdate(update);
    for (const u of update.upserts) {
      if (u.chunks.length >= ORDINAL_BITS) {
        throw newsragError('BAD_OPTIONS', {
          subject: `Index update: article ${u.record.id}`,
          problem: `has ${u.chunks.length} chunks, more than the SQLite store's ${ORDINAL_BITS - 1}`,
          fix: 'chunk it with a larger maxTokens',
        });
      }
    }
    await mkdir(this.location, { recursive: true });
    if (options.replace) await this.setAsideIfUnusable();
    const db = new Database(this.file);
    try {
      try {
        // Only takes effect on a new file, and only before the WAL header is written; see compactIfWorthIt.
        db.pragma('auto_vacuum = INCREMENTAL');
        configure(db, 0);
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if (isBusy(error)) {
          throw newsragError('INDEX_LOCKED', { index: this.location });
        }
        throw wrapSqliteError(error, this.file, this.location);
      }
      await killPoint('locked');
      let touched: string[];
      try {
        touched = await this.apply(db, update, options.replace ?? false);
      } catch (error) {
        throw wrapSqliteError(error, this.file, this.location);
      }
      await killPoint('before-commit');
      db.exec('COMMIT');
      await killPoint('after-commit');
      try {
        // Segment merges (and, after many removals, a compaction) in short transactions of their own.
        maintainPostings(db, touched);
      } catch (error) {
        throw wrapSqliteError(error, this.file, this.location);
      }
      compactIfWorthIt(db);
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    }
  }

  /** For a rebuild over a damaged or foreign file: moves it aside (kept as `index.sqlite.damaged-<time>`) so a fresh database can be made. */
  private async setAsideIfUnusable(): Promise<void> {
    if (!(await this.exists())) return;
    try {
      const db = this.connect(READER_BUSY_MS);
      try {
        hasIndex(db, this.file, this.location);
        db.prepare('SELECT count(*) FROM articles').get();
      } finally {
        db.close();
      }
    } catch (error) {
      if (!(error instanceof NewsragError && (error.code === 'INDEX_CORRUPT' || error.code === 'INDEX_SCHEMA_NEWER')))
        throw error;
      const aside = `${this.file}.damaged-${Date.now()}`;
      await rename(this.file, aside);
      for (const suffix of ['-wal', '-shm']) await rm(`${this.file}${suffix}`, { force: true });
    }
  }

  /** The body of a write transaction; returns the terms it wrote postings for. */
  private async apply(db: Database.Database, update: IndexUpdate, replace: boolean): Promise<string[]> {
    const now = new Date().toISOString();
    const fresh = !hasIndex(db, this.file, this.location);
    if (fresh) db.exec(SCHEMA_SQL + LEXICAL_SQL);
    else upgradeSchema(db);
    const meta = fresh ? new Map<string, string>() : readMeta(db);
    if (!fresh && !replace && meta.get('fingerprintId') !== update.fingerprintId) {
      const fp = JSON.parse(meta.get('fingerprint') ?? '{}') as Manifest['fingerprint'];
      throw newsragError('INDEX_MODEL_MISMATCH', {
        index: this.location,
        built: modelFacts({
          fingerprint: fp,
          fingerprintId: meta.get('fingerprintId') ?? '?',
          dimensions: Number(meta.get('dimensions')),
        }),
        inUse: modelFacts(update),
      });
    }
    const layout = fresh ? 'tables' : vectorLayout(tableNames(db));
    if (replace && !fresh) {
      db.exec(
        `DELETE FROM articles; DELETE FROM chunks; DELETE FROM postings; DELETE FROM lexical_docs; DELETE FROM term_stats; DELETE FROM changes; DELETE FROM meta WHERE key = '${DEAD_CHUNKS_KEY}';`,
      );
      if (layout === 'tables') db.exec('DELETE FROM vectors; DELETE FROM quantized;');
    }
    const generation = (Number(meta.get('generation')) || 0) + 1;
    // A schema-1 file gets its vectors moved and quantised (once; no re-embedding). The
    // changes log does not describe that, nor a rebuild: readers refresh from it only from here.
    const logStart = fresh || replace || layout === 'inline' ? generation : Number(meta.get('logStart')) || generation;
    if (layout === 'inline') upgradeToTables(db, update.dimensions);
    const vectors = vectorWriter(db, update.dimensions);
    const seqOf = db.prepare('SELECT seq FROM articles WHERE id = ?').pluck();
    const deleteChunks = db.prepare('DELETE FROM chunks WHERE rowid >= ? AND rowid < ?');
    const deleteLexical = db.prepare('DELETE FROM lexical_docs WHERE seq = ? RETURNING chunks').pluck();
    const writeLexical = db.prepare(
      'INSERT INTO lexical_docs (seq, generation, chunks) VALUES (?, ?, ?) ON CONFLICT(seq) DO UPDATE SET generation = excluded.generation, chunks = excluded.chunks',
    );
    const postings = new PostingsBuilder();
    const stats = new TermStatsDelta();
    const oldTexts = db.prepare('SELECT text FROM chunks WHERE rowid >= ? AND rowid < ? ORDER BY rowid').pluck();
    const oldMeta = db.prepare('SELECT meta FROM articles WHERE seq = ?').pluck();
    let deadChunks = Number(meta.get(DEAD_CHUNKS_KEY) ?? 0) || 0;
    const deleteArticle = db.prepare('DELETE FROM articles WHERE seq = ?');
    const logChange = db.prepare('INSERT OR IGNORE INTO changes (generation, seq) VALUES (?, ?)');
    const insertArticle = db.prepare(
      'INSERT INTO articles (seq, id, path, hash, meta, length, chunk_count, signature, field_lengths) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertChunk = db.prepare(
      'INSERT INTO chunks (rowid, id, start, end, tokens, text) VALUES (?, ?, ?, ?, ?, ?)',
    );
    let nextSeq = ((db.prepare('SELECT max(seq) FROM articles').pluck().get() as number | null) ?? 0) + 1;

    // A removed or replaced article's postings stay in their segments, dead (lexical.ts), until a merge drops them.
    const dropRows = (seq: number) => {
      const lexicalChunks = deleteLexical.get(seq) as number | undefined;
      if (lexicalChunks !== undefined) {
        // Its document frequencies leave with it: its stored texts and title, analysed again.
        const texts = oldTexts.all(seq * ORDINAL_BITS, seq * ORDINAL_BITS + lexicalChunks) as string[];
        const meta = JSON.parse((oldMeta.get(seq) as string | undefined) ?? '{}') as { title?: string };
        stats.article(texts, meta.title ?? '', -1);
      }
      deadChunks += lexicalChunks ?? 0;
      deleteChunks.run(seq * ORDINAL_BITS, (seq + 1) * ORDINAL_BITS);
      deleteArticle.run(seq);
      vectors.drop(seq);
      logChange.run(generation, seq);
    };
    for (const id of update.removals) {
      const seq = seqOf.get(id) as number | undefined;
      if (seq !== undefined) dropRows(seq);
    }
    const half = Math.floor(update.upserts.length / 2);
    for (const [i, u] of update.upserts.entries()) {
      if (i === half) await killPoint('mid-transaction');
      const existing = seqOf.get(u.record.id) as number | undefined;
      const seq = existing ?? nextSeq++;
      if (existing !== undefined) dropRows(existing);
      const r = u.record;
      insertArticle.run(
        seq,
        r.id,
        r.path,
        r.hash,
        JSON.stringify(r.meta),
        r.length,
        r.chunkCount,
        r.signature === undefined ? null : JSON.stringify(r.signature),
        fieldLengthsBlob(u.chunks, r.meta.title ?? ''),
      );
      vectors.put(seq, u.vectors);
      u.chunks.forEach((c, ordinal) => {
        insertChunk.run(seq * ORDINAL_BITS + ordinal, c.id, c.start, c.end, c.tokens, c.text);
      });
      postings.add(seq, u.chunks, r.meta.title ?? '');
      stats.article(
        u.chunks.map((c) => c.text),
        r.meta.title ?? '',
        1,
      );
      writeLexical.run(seq, generation, u.chunks.length);
      logChange.run(generation, seq);
    }
    const touched = postings.flush(db, generation);
    stats.apply(db);
    // Record-only updates (see IndexUpdate.signatures): the row's signature changes, its chunks,
    // postings and vectors stay as they are, so a backfill costs one small UPDATE per article.
    const setSignature = db.prepare('UPDATE articles SET signature = ? WHERE seq = ?');
    for (const { id, signature } of update.signatures ?? []) {
      const seq = seqOf.get(id) as number | undefined;
      if (seq === undefined) continue;
      setSignature.run(JSON.stringify(signature), seq);
      logChange.run(generation, seq);
    }
    const setMeta = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    const values: Record<string, string> = {
      schemaVersion: String(SQLITE_SCHEMA_VERSION),
      fingerprint: JSON.stringify(update.fingerprint),
      fingerprintId: update.fingerprintId,
      dimensions: String(update.dimensions),
      createdAt: replace || fresh ? now : (meta.get('createdAt') ?? now),
      updatedAt: now,
      generation: String(generation),
      [DEAD_CHUNKS_KEY]: String(deadChunks),
      logStart: String(logStart),
    };
    for (const [k, v] of Object.entries(values)) setMeta.run(k, v);
    return touched;
  }

  /**
   * Verifies the index: SQLite's `integrity_check`, the lexical postings against the chunk
   * texts and titles (lexical.ts checkPostings), each article's vector BLOB and chunk count,
   * then the engine-independent checks (offsets, ordinals, unit vectors).
   */
  async check(): Promise<ConsistencyReport> {
    const opened = await openForCheck(() => this.open(), this.location);
    if ('report' in opened) return opened.report;
    const reader = opened.reader;
    try {
      const problems: string[] = [];
      const db = this.connect(READER_BUSY_MS);
      try {
        const integrity = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
        const bad = integrity.map((r) => r.integrity_check).filter((m) => m !== 'ok');
        for (const m of bad.slice(0, 10)) problems.push(`${this.file}: integrity_check: ${m}`);
        const chunkRows = db.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
        if (chunkRows !== reader.chunkCount)
          problems.push(`${this.file}: ${chunkRows} chunk rows, the articles declare ${reader.chunkCount}`);
        db.exec('BEGIN');
        try {
          problems.push(...checkPostings(db, this.file));
        } finally {
          db.exec('COMMIT');
        }
      } finally {
        db.close();
      }
      let chunks: ReturnType<SqliteIndexReader['chunk']>[] = [];
      try {
        chunks = Array.from({ length: reader.chunkCount }, (_, row) => (reader as SqliteIndexReader).chunk(row));
      } catch (error) {
        problems.push((error as Error).message);
      }
      let vectors: Float32Array = new Float32Array(0);
      try {
        vectors = reader.matrix();
        problems.push(...checkQuantized(reader.snapshot().quantized, vectors, this.file));
      } catch (error) {
        problems.push((error as Error).message);
      }
      const report = checkGeneration({
        manifest: reader.manifest,
        articles: reader.articles(),
        chunks,
        vectors:
          vectors.length > 0 || reader.chunkCount === 0
            ? vectors
            : new Float32Array(reader.chunkCount * reader.manifest.dimensions),
      });
      report.problems = [
        ...problems,
        ...report.problems.map((p) => p.replace(/articles\.json|chunks\.jsonl|vectors\.f32/g, SQLITE_FILE)),
      ];
      report.ok = report.problems.length === 0;
      return report;
    } finally {
      reader.close();
    }
  }

  /** Bytes of index.sqlite and its WAL (0 without an index). */
  async sizeOnDisk(): Promise<number> {
    let total = 0;
    for (const f of [this.file, `${this.file}-wal`]) {
      try {
        total += (await stat(f)).size;
      } catch {
        // absent
      }
    }
    return total;
  }
}

/** Brings an index of an older schema to {@link SQLITE_SCHEMA_VERSION} inside the caller's write transaction. */
function upgradeSchema(db: Database.Database): void {
  const version = Number(readMeta(db).get('schemaVersion'));
  if (version >= SQLITE_SCHEMA_VERSION) return;
  if (version < 2) upgradeLexical(db);
  else addSkipsAndTermStats(db);
  db.prepare(
    "INSERT INTO meta (key, value) VALUES ('schemaVersion', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  ).run(String(SQLITE_SCHEMA_VERSION));
}

/**
 * Schema 1 → 3 inside the caller's write transaction: builds the postings (with skip data)
 * and their term statistics from the stored chunk texts and titles, drops the FTS5 tables,
 * moves the vectors into their tables (quantising them).
 */
function upgradeLexical(db: Database.Database): void {
  const meta = readMeta(db);
  const generation = Number(meta.get('generation')) || 0;
  db.exec(LEXICAL_SQL);
  buildPostingsFromChunks(db, generation);
  for (const t of FTS_TABLES_V1) db.exec(`DROP TABLE IF EXISTS ${t}`);
  // Schema 2 also keeps vectors in their own tables (exact and int8, quantized.ts). The
  // changes log says nothing of the move: readers refresh from it only from this generation on.
  if (vectorLayout(tableNames(db)) === 'inline') {
    upgradeToTables(db, Number(meta.get('dimensions')));
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('logStart', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(String(generation));
  }
  db.prepare(
    "INSERT INTO meta (key, value) VALUES ('schemaVersion', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  ).run(String(SQLITE_SCHEMA_VERSION));
}

/**
 * Returns free pages to the file system once they pass a quarter of the file (removals and
 * replaced articles leave pages free; SQLite reuses them, so below that it does not pay).
 * `incremental_vacuum` is a short write transaction of its own: WAL readers keep reading
 * their snapshot. Needs `auto_vacuum = INCREMENTAL`, which `commit` sets on a new file; an older file without it is left as is.
 */
export function compactIfWorthIt(db: Database.Database): void {
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  if (free >= 256 && free * 4 > pages) db.pragma('incremental_vacuum');
}
