import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tempName } from './layout.js';

/** Index files are the owner's alone: articles may be private, and nobody else should edit them. */
export const FILE_MODE = 0o600;
/** Index folders likewise. */
export const DIR_MODE = 0o700;

/**
 * Writes `data` to `path` and fsyncs it before returning, so a later rename
 * cannot publish a file whose blocks are still only in the page cache.
 */
export async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Default number of lines {@link writeLinesSynced} joins into one write. */
export const DEFAULT_BATCH_LINES = 10_000;

/** A batch is also flushed past this many UTF-16 units, far below V8's ~512 MB string limit. */
const MAX_BATCH_CHARS = 32 * 1024 * 1024;

/**
 * Writes `lines` (each already ending in `\n`) to `path` in batches of `batchLines`
 * lines, then fsyncs it. Unlike {@link writeFileSynced} it never holds the whole
 * file as one string, so files past V8's ~512 MB string limit can be written.
 */
export async function writeLinesSynced(
  path: string,
  lines: Iterable<string>,
  batchLines: number = DEFAULT_BATCH_LINES,
): Promise<void> {
  if (!Number.isInteger(batchLines) || batchLines < 1) {
    throw new RangeError(`writeLinesSynced: batchLines must be a positive integer, got ${batchLines}`);
  }
  const handle = await open(path, 'w', FILE_MODE);
  try {
    let batch: string[] = [];
    let chars = 0;
    for (const line of lines) {
      batch.push(line);
      chars += line.length;
      if (batch.length >= batchLines || chars >= MAX_BATCH_CHARS) {
        // writeFile on a handle writes at the current position and loops until all is written.
        await handle.writeFile(batch.join(''));
        batch = [];
        chars = 0;
      }
    }
    if (batch.length > 0) await handle.writeFile(batch.join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsyncs a directory so renames and creations inside it survive a power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on directories (EINVAL/EISDIR); durability is then the OS's business.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` atomically: writes a temp file beside it, fsyncs it, renames it
 * over `path` and fsyncs the directory. Readers see the old or the new content, never a mix.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  beforeRename?: () => Promise<void>,
): Promise<void> {
  const tmp = join(dirname(path), tempName(basename(path)));
  try {
    await writeFileSynced(tmp, data);
    await beforeRename?.();
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDir(dirname(path));
}
