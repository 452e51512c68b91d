import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NewsragError } from '../errors.js';
import { FolderIndexStore } from './folder-store.js';
import { LOCK_DIR } from './layout.js';
import { acquireWriterLock, ORPHAN_MS, ownerFileName } from './lock.js';

const D = 8;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsrag-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function update(seed: number) {
  return syntheticUpdate(D, [syntheticArticle(prng(seed), `a${seed}`, { chunks: 2, dimensions: D })]);
}

async function writeError(store: FolderIndexStore): Promise<NewsragError> {
  try {
    await store.write(update(2));
  } catch (error) {
    if (error instanceof NewsragError) return error;
    throw error;
  }
  throw new Error('the write succeeded, expected INDEX_LOCKED');
}

/** A lock as a process with `pid` would have left it. */
async function plantLock(pid: number): Promise<void> {
  await mkdir(join(dir, LOCK_DIR));
  const { ino } = await stat(join(dir, LOCK_DIR));
  await writeFile(
    join(dir, ownerFileName(hostname(), pid)),
    JSON.stringify({ pid, hostname: hostname(), lockIno: ino, acquiredAt: '2026-01-01T00:00:00Z' }),
  );
}

describe('writer lock', () => {
  it('refuses a second writer with INDEX_LOCKED naming the folder, then lets it in after release', async () => {
    const store = new FolderIndexStore(dir);
    await store.write(update(1));
    const held = await acquireWriterLock(dir);
    const err = await writeError(store);
    expect(err.code).toBe('INDEX_LOCKED');
    expect(err.message).toContain(dir);
    expect(err.message).toContain(`process ${process.pid}`);
    expect(err.message).toMatch(/wait for it to finish/);
    await held.release();
    expect((await store.write(update(2))).articleCount).toBe(2);
  });

  it('keeps out writers while a live process on this host holds the lock', async () => {
    await plantLock(process.ppid);
    const err = await writeError(new FolderIndexStore(dir));
    expect(err.code).toBe('INDEX_LOCKED');
    expect(err.message).toContain(`process ${process.ppid}`);
  });

  it('recovers the lock of a dead process at once', async () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(child.stdout);
    expect(deadPid).toBeGreaterThan(0);
    await plantLock(deadPid);
    const store = new FolderIndexStore(dir);
    const reader = await store.write(update(3));
    expect(reader.articleCount).toBe(1);
    // Released afterwards: the next write gets in too.
    expect((await store.write(update(4))).articleCount).toBe(2);
  });

  it('does not trust an owner record left for a different lock directory', async () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    await plantLock(Number(child.stdout));
    // Someone else (alive, with its claim) re-created the lock directory after the owner record was written.
    await rm(join(dir, LOCK_DIR), { recursive: true });
    await mkdir(join(dir, 'placeholder'));
    await writeFile(join(dir, `write.lock.claim-${hostname()}-${process.ppid}`), String(process.ppid));
    await mkdir(join(dir, LOCK_DIR));
    expect((await writeError(new FolderIndexStore(dir))).code).toBe('INDEX_LOCKED');
  });

  it('recovers a lock directory its creator died before describing (no owner record, no live claimant)', async () => {
    await mkdir(join(dir, LOCK_DIR));
    const store = new FolderIndexStore(dir);
    // A live process has claimed the lock: it may be writing the owner record right now.
    const claim = join(dir, `write.lock.claim-${hostname()}-${process.ppid}`);
    await writeFile(claim, String(process.ppid));
    expect((await writeError(store)).code).toBe('INDEX_LOCKED');
    // Its claimant gone (a dead pid's claim is cleared), the orphan is taken over at once.
    await rm(claim);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await writeFile(join(dir, `write.lock.claim-${hostname()}-${dead.stdout}`), dead.stdout);
    expect((await store.write(update(6))).articleCount).toBe(1);
    expect((await readdir(dir)).filter((e) => e.startsWith('write.lock'))).toEqual([]);
  });

  it('leaves a racing writer its claim while it is being written, and clears a dead one’s half-written claim', async () => {
    const store = new FolderIndexStore(dir);
    await store.write(update(8));
    // A live process (the test runner's parent) is writing its claim: a write under the lock must not delete it.
    const live = join(dir, `write.lock.claim-${hostname()}-${process.ppid}.tmp-${process.ppid}`);
    await writeFile(live, String(process.ppid));
    await store.write(update(9));
    await store.tidy();
    expect(await readdir(dir)).toContain(`write.lock.claim-${hostname()}-${process.ppid}.tmp-${process.ppid}`);
    await rm(live);
    // A dead writer's half-written claim is no claimant: the lock directory it left is taken over at once and the temp cleared.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await mkdir(join(dir, LOCK_DIR));
    await writeFile(join(dir, `write.lock.claim-${hostname()}-${dead.stdout}.tmp-${dead.stdout}`), dead.stdout);
    expect((await store.write(update(10))).articleCount).toBe(3);
    expect((await readdir(dir)).filter((e) => e.startsWith('write.lock'))).toEqual([]);
  });

  it('recovers an orphaned lock directory after ORPHAN_MS even with a live claimant', async () => {
    await mkdir(join(dir, LOCK_DIR));
    await writeFile(join(dir, `write.lock.claim-${hostname()}-${process.ppid}`), String(process.ppid));
    const past = new Date(Date.now() - ORPHAN_MS - 1_000);
    await utimes(join(dir, LOCK_DIR), past, past);
    expect((await new FolderIndexStore(dir).write(update(7))).articleCount).toBe(1);
  });

  it('never judges a live lock orphaned: the orphan age is at least the refresh interval', () => {
    // A holder refreshes the directory every 5 s; with a shorter orphan age a lock between two
    // refreshes, its owner record being written or removed, could be taken from a live holder.
    expect(ORPHAN_MS).toBeGreaterThanOrEqual(5_000);
  });

  it('release removes the lock before the owner record, and only its own record', async () => {
    const lock = await acquireWriterLock(dir);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
    // A record someone else wrote meanwhile (the next holder's) is left alone.
    const second = await acquireWriterLock(dir);
    const next = JSON.stringify({ pid: 1, hostname: hostname(), lockIno: 42, acquiredAt: '2026-01-01T00:00:00Z' });
    const theirs = ownerFileName(hostname(), 1);
    await writeFile(join(dir, theirs), next);
    await second.release();
    expect(await readdir(dir)).toEqual([theirs]);
    expect(await readFile(join(dir, theirs), 'utf8')).toBe(next);
  });

  it('readers never take the lock', async () => {
    const store = new FolderIndexStore(dir);
    await store.write(update(5));
    const held = await acquireWriterLock(dir);
    try {
      expect((await store.open())?.articleCount).toBe(1);
      expect((await store.check()).ok).toBe(true);
    } finally {
      await held.release();
    }
  });
});

describe('tidy', () => {
  /** A pid that certainly exited: a finished child's. */
  const exitedPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

  it("clears a dead writer's lock and temp folders, and keeps the index as it was", async () => {
    const store = new FolderIndexStore(dir);
    await store.write(update(1));
    await plantLock(exitedPid());
    await mkdir(join(dir, 'gen-000009.tmp-123'));
    await store.tidy();
    const entries = await readdir(dir);
    expect(entries).not.toContain(LOCK_DIR);
    expect(entries.filter((e) => e.includes('.tmp-'))).toEqual([]);
    expect((await store.open())?.articleCount).toBe(1);
  });

  it("leaves a live writer's lock and its temp folder alone", async () => {
    const store = new FolderIndexStore(dir);
    await store.write(update(1));
    const held = await acquireWriterLock(dir);
    await mkdir(join(dir, 'gen-000009.tmp-123'));
    await store.tidy();
    expect(await readdir(dir)).toEqual(expect.arrayContaining([LOCK_DIR, 'gen-000009.tmp-123']));
    await held.release();
  });
});
