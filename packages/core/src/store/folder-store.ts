import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULTS } from '../config.js';
import { modelFacts, NewsragError, newsragError } from '../errors.js';
import type { Chunk } from '../types.js';
import {
  DEFAULT_BATCH_LINES,
  DIR_MODE,
  fsyncDir,
  writeFileAtomic,
  writeFileSynced,
  writeLinesSynced,
} from './atomic.js';
import { type Bm25Index, buildBm25, serialiseBm25, updateBm25 } from './bm25.js';
import { checkGeneration, openForCheck } from './check.js';
import type { ConsistencyReport, IndexReader, IndexStore, IndexUpdate, WriteOptions } from './contract.js';
import { corrupt } from './errors.js';
import { killPoint } from './kill-point.js';
import {
  CURRENT_FILE,
  generationFiles,
  generationName,
  isStaleTempName,
  LOCK_DIR,
  parseGenerationName,
  tempName,
} from './layout.js';
import { loadGeneration } from './load.js';
import { acquireWriterLock } from './lock.js';
import { type MergedGeneration, mergeGeneration, validateUpdate } from './merge.js';
import { FolderIndexReader } from './reader.js';
import { writeVectors } from './vectors.js';

/** Options of {@link FolderIndexStore}. */
export interface FolderIndexStoreOptions {
  /** Refuse (INDEX_MODEL_MISMATCH) to open an index built with another embedder fingerprint. */
  expectFingerprintId?: string;
  /**
   * Lines (chunks, BM25 entries) per write of `chunks.jsonl` and `bm25.json`, and BM25
   * document entries per line; default 10,000. Tests pass a tiny value to cross batch edges.
   */
  batchLines?: number;
}

export type { WriteOptions } from './contract.js';

/** `chunks.jsonl`'s lines, produced lazily so the file is never one string. */
function* chunkLines(chunks: readonly Chunk[]): Generator<string> {
  for (const c of chunks) yield `${JSON.stringify(c)}\n`;
}

/** How many times a reader re-resolves CURRENT when a writer replaced it mid-load. */
const OPEN_ATTEMPTS = 3;

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Describes the model that built an index, for mismatch messages. */
/**
 * The BM25 index of the next generation: `previous`'s updated in place (it was
 * loaded by this write alone, so nobody else searches it), or built from scratch.
 */
async function nextBm25(
  previous: FolderIndexReader | null,
  update: IndexUpdate,
  merged: MergedGeneration,
): Promise<Bm25Index> {
  const titles = new Map(merged.articles.map((a) => [a.id, a.meta.title]));
  const titleOf = (id: string) => titles.get(id);
  if (!previous) return buildBm25(merged.chunks, titleOf);
  const bm25 = previous.bm25Index();
  const removed: string[] = [];
  for (const id of new Set([...update.removals, ...update.upserts.map((u) => u.record.id)])) {
    const { first, count } = previous.rowsOf(id);
    for (let row = first; row < first + count; row++) removed.push(previous.chunk(row).id);
  }
  await updateBm25(
    bm25,
    removed,
    update.upserts.flatMap((u) => u.chunks),
    titleOf,
  );
  return bm25;
}

/**
 * An index in a folder (default `.newsrag/`): generation folders `gen-XXXXXX/`
 * plus a `CURRENT` file naming the live one. Writers build the next generation
 * beside the live one under a lock and switch `CURRENT` atomically; readers never
 * lock and keep the generation they loaded. A crash at any moment leaves the
 * previous generation loadable.
 */
export class FolderIndexStore implements IndexStore {
  readonly engine = 'folder';
  readonly location: string;
  private readonly expectFingerprintId: string | undefined;
  private readonly batchLines: number;

  constructor(dir: string = DEFAULTS.indexDir, options: FolderIndexStoreOptions = {}) {
    this.location = resolve(dir);
    this.expectFingerprintId = options.expectFingerprintId;
    this.batchLines = options.batchLines ?? DEFAULT_BATCH_LINES;
  }

  /** The generation folder CURRENT names, or null when there is no CURRENT (no index yet). */
  private async readCurrent(): Promise<string | null> {
    const file = join(this.location, CURRENT_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    const name = text.trim();
    if (parseGenerationName(name) === null)
      throw corrupt(file, `names "${name.slice(0, 40)}", not a generation folder`, this.location);
    return name;
  }

  /** The generation CURRENT names (one small file read), or null when there is no index. */
  async committedGeneration(): Promise<number | null> {
    const name = await this.readCurrent();
    return name === null ? null : parseGenerationName(name);
  }

  /**
   * Loads the current generation, or returns null when the folder holds no index
   * (no CURRENT: a generation folder without CURRENT was never switched to, so it does not count).
   * @throws INDEX_CORRUPT, INDEX_SCHEMA_NEWER, INDEX_MODEL_MISMATCH (see {@link FolderIndexStoreOptions}).
   */
  async open(): Promise<IndexReader | null> {
    const reader = await this.openCurrent();
    if (
      reader &&
      this.expectFingerprintId !== undefined &&
      reader.manifest.fingerprintId !== this.expectFingerprintId
    ) {
      throw newsragError('INDEX_MODEL_MISMATCH', {
        index: this.location,
        built: modelFacts(reader.manifest),
        inUse: { fingerprintId: this.expectFingerprintId },
      });
    }
    return reader;
  }

  private async openCurrent(): Promise<FolderIndexReader | null> {
    for (let attempt = 1; ; attempt++) {
      const name = await this.readCurrent();
      if (name === null) return null;
      const genDir = join(this.location, name);
      try {
        return new FolderIndexReader(await loadGeneration(genDir, this.location), genDir);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        // A writer may have switched and cleaned up while we were loading: try the new CURRENT.
        if (attempt < OPEN_ATTEMPTS && (await this.readCurrent()) !== name) continue;
        const missing = (error as NodeJS.ErrnoException).path ?? genDir;
        throw corrupt(missing, `is missing (CURRENT names ${name})`, this.location, error);
      }
    }
  }

  /**
   * Applies `update` on top of the current generation and switches to the result.
   * @throws INDEX_LOCKED when another process is writing, INDEX_MODEL_MISMATCH when the
   * update's fingerprint differs from the index's, BAD_OPTIONS for an inconsistent update.
   */
  async write(update: IndexUpdate, options: WriteOptions = {}): Promise<FolderIndexReader> {
    validateUpdate(update);
    await mkdir(this.location, { recursive: true, mode: DIR_MODE });
    const lock = await acquireWriterLock(this.location);
    try {
      await killPoint('locked');
      const previous = options.replace ? null : await this.openCurrent();
      if (previous && previous.manifest.fingerprintId !== update.fingerprintId) {
        throw newsragError('INDEX_MODEL_MISMATCH', {
          index: this.location,
          built: modelFacts(previous.manifest),
          inUse: modelFacts(update),
        });
      }
      const previousName = options.replace
        ? await this.readCurrentQuietly()
        : previous
          ? generationName(previous.manifest.generation)
          : null;
      const generation = (await this.highestGeneration(previous?.manifest.generation ?? 0)) + 1;
      const merged = mergeGeneration(
        previous && {
          manifest: previous.manifest,
          articles: previous.articles(),
          chunk: (row) => previous.chunk(row),
          rowsOf: (id) => previous.rowsOf(id),
          matrix: () => previous.matrix(),
        },
        update,
        generation,
        new Date().toISOString(),
      );
      const bm25 = await nextBm25(previous, update, merged);
      const name = generationName(generation);
      const genDir = join(this.location, name);
      await this.writeGeneration(genDir, merged, bm25);
      if (lock.compromised) {
        throw newsragError('INDEX_LOCKED', { index: this.location, lost: lock.compromised.message });
      }
      await writeFileAtomic(join(this.location, CURRENT_FILE), `${name}\n`, () => killPoint('mid-current'));
      await killPoint('after-current');
      await this.removeStale(new Set([name, ...(previousName ? [previousName] : [])]));
      return new FolderIndexReader({ ...merged, bm25 }, genDir);
    } finally {
      await lock.release();
    }
  }

  /**
   * Clears what a crashed writer left behind, its lock and temp folders, when no live
   * writer holds the lock (then it does nothing). Writes do this anyway; a run that finds
   * nothing to write calls it so a writer killed after its switch leaves no trace.
   */
  async tidy(): Promise<void> {
    let entries: string[];
    try {
      entries = await readdir(this.location);
    } catch {
      return;
    }
    if (!entries.some((e) => e === LOCK_DIR || isStaleTempName(e))) return;
    let lock: Awaited<ReturnType<typeof acquireWriterLock>>;
    try {
      lock = await acquireWriterLock(this.location);
    } catch (error) {
      if (error instanceof NewsragError && error.code === 'INDEX_LOCKED') return;
      throw error;
    }
    try {
      for (const entry of await readdir(this.location)) {
        if (isStaleTempName(entry)) await rm(join(this.location, entry), { recursive: true, force: true });
      }
    } finally {
      await lock.release();
    }
  }

  private async readCurrentQuietly(): Promise<string | null> {
    try {
      return await this.readCurrent();
    } catch {
      return null;
    }
  }

  /** The highest generation number among `known` and the generation folders present (a crash may have left one unswitched). */
  private async highestGeneration(known: number): Promise<number> {
    let max = known;
    for (const entry of await readdir(this.location)) {
      const n = parseGenerationName(entry);
      if (n !== null && n > max) max = n;
    }
    return max;
  }

  /** Writes every file into `<gen>.tmp-<pid>/`, fsyncs, renames the folder into place and fsyncs the parent. */
  private async writeGeneration(genDir: string, g: MergedGeneration, bm25: Bm25Index): Promise<void> {
    const tmpDir = tempName(genDir);
    await rm(tmpDir, { recursive: true, force: true });
    await mkdir(tmpDir, { mode: DIR_MODE });
    try {
      const files = generationFiles(tmpDir);
      await writeVectors(files.vectors, g.vectors, () => killPoint('mid-vectors'));
      // Streamed in batches: at 1M chunks either file as one string would pass V8's ~512 MB limit.
      await writeLinesSynced(files.chunks, chunkLines(g.chunks), this.batchLines);
      await writeFileSynced(files.articles, JSON.stringify(g.articles));
      await writeLinesSynced(files.bm25, serialiseBm25(bm25, this.batchLines), this.batchLines);
      // The manifest last: a generation folder with a manifest has all its files.
      await writeFileSynced(files.manifest, `${JSON.stringify(g.manifest, null, 2)}\n`);
      await fsyncDir(tmpDir);
      await killPoint('before-rename');
      await rm(genDir, { recursive: true, force: true });
      await rename(tmpDir, genDir);
    } catch (error) {
      await rm(tmpDir, { recursive: true, force: true });
      throw error;
    }
    await fsyncDir(this.location);
    await killPoint('after-rename');
  }

  /**
   * Removes temp leftovers and every generation not in `keep`. Runs under the lock, so any
   * temp entry is stale, except the lock's own: a racing writer writes its claim before it
   * asks for the lock (deleting that temp made its claim fail with ENOENT instead of INDEX_LOCKED).
   */
  private async removeStale(keep: ReadonlySet<string>): Promise<void> {
    for (const entry of await readdir(this.location)) {
      const stale = isStaleTempName(entry) || (parseGenerationName(entry) !== null && !keep.has(entry));
      if (stale) await rm(join(this.location, entry), { recursive: true, force: true });
    }
  }

  /**
   * Verifies the current generation (see {@link checkGeneration}). An index that
   * does not load is reported as not ok with the load error as its problem.
   */
  async check(): Promise<ConsistencyReport> {
    const opened = await openForCheck(() => this.openCurrent(), this.location);
    if ('report' in opened) return opened.report;
    const reader = opened.reader;
    const report = checkGeneration({
      manifest: reader.manifest,
      articles: reader.articles(),
      chunks: Array.from({ length: reader.chunkCount }, (_, row) => reader.chunk(row)),
      vectors: reader.matrix(),
    });
    const missing = reader.missingFromBm25();
    if (missing.length > 0) {
      report.problems.push(`bm25.json lacks ${missing.length} chunks (first: ${missing[0]})`);
      report.ok = false;
    }
    const expected = generationName(reader.manifest.generation);
    if (!reader.generationDir.endsWith(expected)) {
      report.problems.push(
        `manifest generation ${reader.manifest.generation} does not match folder ${reader.generationDir}`,
      );
      report.ok = false;
    }
    return report;
  }

  /** Bytes of the current generation's files (0 without an index), for `stats`. */
  async sizeOnDisk(): Promise<number> {
    const name = await this.readCurrent();
    if (name === null) return 0;
    let total = 0;
    for (const file of Object.values(generationFiles(join(this.location, name)))) {
      try {
        total += (await stat(file)).size;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return total;
  }
}
