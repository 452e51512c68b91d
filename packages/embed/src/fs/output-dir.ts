import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `fill(tempDir)` and then swaps `tempDir` in place of `outDir`, so readers see
 * either the old complete folder or the new complete one, never a half-written one.
 * The temp folder is a sibling (same file system, so `rename` is atomic) and is removed
 * if `fill` throws, leaving the old folder untouched.
 */
export async function replaceDirAtomically(outDir: string, fill: (tempDir: string) => Promise<void>): Promise<void> {
  const parent = dirname(outDir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${Date.now()}`;
  const tempDir = join(parent, `.${basename(outDir)}.tmp-${tag}`);
  const oldDir = join(parent, `.${basename(outDir)}.old-${tag}`);
  await mkdir(tempDir);
  try {
    await fill(tempDir);
  } catch (error) {
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
  const hadOld = await exists(outDir);
  if (hadOld) await rename(outDir, oldDir);
  try {
    await rename(tempDir, outDir);
  } catch (error) {
    if (hadOld) await rename(oldDir, outDir);
    throw error;
  }
  if (hadOld) await rm(oldDir, { recursive: true, force: true });
}

/** Builds older than this hold no lock: their process died. */
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Serialises builds of one folder across processes (parallel vitest workers, two
 * engineers' test runs) with a lock directory beside it; `mkdir` is atomic.
 */
export async function withDirLock<T>(outDir: string, run: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  const lock = join(dirname(outDir), `.${basename(outDir)}.lock`);
  await mkdir(dirname(outDir), { recursive: true });
  const start = Date.now();
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - start > timeoutMs)
        throw new Error(`timed out waiting for the build lock ${lock}; if no build is running, delete it`);
      await sleep(250);
    }
  }
  try {
    return await run();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
