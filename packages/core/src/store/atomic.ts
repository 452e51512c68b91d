import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tempName } from './layout.js';

/**
 * Writes `data` to `path` and fsyncs it before returning, so a later rename
 * cannot publish a file whose blocks are still only in the page cache.
 */
export async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
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
