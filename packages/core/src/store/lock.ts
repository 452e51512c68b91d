import { mkdir, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { type NewsragError, newsragError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { isTempName, LOCK_DIR, LOCK_OWNER_FILE } from './layout.js';

/** Who holds the writer lock; written beside the lock directory. */
interface LockOwner {
  pid: number;
  hostname: string;
  /** Inode of the lock directory this owner created, so a record never vouches for someone else's lock. */
  lockIno: number;
  acquiredAt: string;
}

/** A held writer lock. */
export interface WriterLock {
  /** Set when the lock was lost (its directory removed or not refreshed in time). */
  readonly compromised: Error | null;
  release(): Promise<void>;
}

/** After this long without a refresh a lock with no owner record is stale (proper-lockfile's mtime check). */
const STALE_MS = 30_000;
const UPDATE_MS = 5_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Each holder writes its own record, `write.lock.owner-<host>-<pid>`, and only ever
 * removes that file: with one shared file, a holder releasing (read, then remove) could
 * delete the next holder's record written in between, leaving a live lock without a
 * record that others then judge orphaned (seen in the lock stress test).
 */
export function ownerFileName(host: string, pid: number): string {
  return `${LOCK_OWNER_FILE}-${host}-${pid}`;
}

/** The owner records beside the lock, with their file names. */
async function readOwners(dir: string): Promise<{ file: string; owner: LockOwner }[]> {
  const out: { file: string; owner: LockOwner }[] = [];
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith(`${LOCK_OWNER_FILE}-`)) continue;
    try {
      out.push({ file: entry, owner: JSON.parse(await readFile(join(dir, entry), 'utf8')) as LockOwner });
    } catch {
      // Being written or removed: no record.
    }
  }
  return out;
}

/** The record of the current lock directory's holder, for messages. */
async function readOwner(dir: string): Promise<LockOwner | null> {
  const ino = await stat(join(dir, LOCK_DIR)).then(
    (st) => st.ino,
    () => null,
  );
  const owners = await readOwners(dir);
  return owners.find((o) => o.owner.lockIno === ino)?.owner ?? owners[0]?.owner ?? null;
}

/**
 * A lock directory with no owner record (for its inode) this old was left by a writer
 * that died between creating it and writing the record. At least twice the refresh
 * interval: a live holder touches the directory every {@link UPDATE_MS}, so its lock is
 * never this old even in the moment its owner record is missing (being written or removed).
 */
export const ORPHAN_MS = 2 * UPDATE_MS;

/** Beside the lock: held (created with mkdir, atomic) by the one process taking over a dead writer's lock. */
const TAKEOVER_DIR = 'write.lock.takeover';
/** A take-over takes milliseconds; a take-over folder older than this was left by a process that died in it. */
const TAKEOVER_STALE_MS = 10_000;

/**
 * A writer announces itself in `write.lock.claim-<host>-<pid>` before creating the lock
 * directory and removes the claim once its owner record is written (or it gave up). So
 * a lock directory without a record whose every claimant is dead was left by a dead
 * writer and can be taken over at once; with a live (or unknown, other-host) claimant
 * it is only judged orphaned after {@link ORPHAN_MS}.
 */
const claimName = () => `write.lock.claim-${hostname()}-${process.pid}`;

/** Whether a process other than this one may be creating the lock right now. */
async function liveClaimant(dir: string): Promise<boolean> {
  for (const entry of await readdir(dir)) {
    if (isTempName(entry)) {
      // A claim being written (its writer has not asked for the lock yet), or one a dead writer left half-written.
      const pid = Number(/\.tmp-(\d+)$/.exec(entry)?.[1]);
      if (entry.startsWith('write.lock.claim-') && pid !== process.pid && !isAlive(pid))
        await rm(join(dir, entry), { force: true });
      continue;
    }
    // Claims only: `<prefix><host>-<pid>`.
    const m = /^write\.lock\.claim-(.+)-(\d+)$/.exec(entry);
    if (!m || entry === claimName()) continue;
    if (m[1] !== hostname()) return true; // another host: cannot tell
    if (isAlive(Number(m[2]))) return true;
    await rm(join(dir, entry), { force: true }); // a dead writer's claim
  }
  return false;
}

/** The holder of the lock as judged from disk: which lock directory (inode), whether it may be removed, and its dead holders' records. */
async function judge(dir: string): Promise<{ ino: number; removable: boolean; deadRecords: string[] }> {
  const st = await stat(join(dir, LOCK_DIR));
  const records = (await readOwners(dir)).filter((r) => r.owner.lockIno === st.ino);
  const alive = (o: LockOwner) => o.hostname !== hostname() || o.pid === process.pid || isAlive(o.pid);
  if (records.some((r) => alive(r.owner))) return { ino: st.ino, removable: false, deadRecords: [] };
  const deadRecords = records.map((r) => r.file);
  // A dead record may name a reused inode: the directory can then be a new writer's that has
  // not written its record yet, which its claim shows.
  if (records.length > 0 || Date.now() - st.mtimeMs < ORPHAN_MS) {
    return { ino: st.ino, removable: !(await liveClaimant(dir)), deadRecords };
  }
  return { ino: st.ino, removable: true, deadRecords };
}

/**
 * Removes a lock whose holder is gone, so a crashed `newsrag index` does not block
 * the next run for proper-lockfile's 30 s staleness: either the owner record names a
 * process on this host that no longer exists, or there is no record for this lock
 * directory (matched by inode) and the directory is older than {@link ORPHAN_MS}.
 * @returns true when the lock is gone.
 */
async function removeIfHolderDead(dir: string): Promise<boolean> {
  const lockPath = join(dir, LOCK_DIR);
  const takeover = join(dir, TAKEOVER_DIR);
  try {
    if (!(await judge(dir)).removable) return false;
    // Two writers may both find the holder dead: only the one holding the take-over folder
    // removes the lock, after judging again, so it never removes a lock the other just took.
    try {
      await mkdir(takeover);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(takeover)).mtimeMs;
      if (age >= TAKEOVER_STALE_MS) await rm(takeover, { recursive: true, force: true });
      return false;
    }
    try {
      const again = await judge(dir);
      if (!again.removable) return false;
      // The dead holder's records go first, while its directory still keeps everyone else out.
      for (const file of again.deadRecords) await rm(join(dir, file), { force: true });
      await rmdir(lockPath);
      return true;
    } finally {
      await rmdir(takeover).catch(() => undefined);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

function lockedError(dir: string, owner: LockOwner | null): NewsragError {
  return newsragError('INDEX_LOCKED', {
    index: dir,
    holder: owner ? `process ${owner.pid} on ${owner.hostname}, since ${owner.acquiredAt}` : undefined,
    fix: `If no such process is running, delete ${join(dir, LOCK_DIR)}`,
  });
}

/**
 * Takes the writer lock of index folder `dir` (which must exist), without waiting.
 * @throws INDEX_LOCKED when a live process holds it.
 */
export async function acquireWriterLock(dir: string): Promise<WriterLock> {
  let compromised: Error | null = null;
  const attempt = () =>
    lockfile.lock(dir, {
      lockfilePath: join(dir, LOCK_DIR),
      realpath: false,
      stale: STALE_MS,
      update: UPDATE_MS,
      retries: 0,
      onCompromised: (error) => {
        compromised = error;
      },
    });
  const claim = join(dir, claimName());
  await writeFileAtomic(claim, String(process.pid));
  let release: () => Promise<void>;
  let owner: LockOwner;
  try {
    try {
      release = await attempt();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (!(await removeIfHolderDead(dir))) throw lockedError(dir, await readOwner(dir));
      try {
        release = await attempt();
      } catch (again) {
        if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw lockedError(dir, await readOwner(dir));
        throw again;
      }
    }
    const st = await stat(join(dir, LOCK_DIR));
    owner = { pid: process.pid, hostname: hostname(), lockIno: st.ino, acquiredAt: new Date().toISOString() };
    await writeFileAtomic(join(dir, ownerFileName(owner.hostname, owner.pid)), JSON.stringify(owner));
  } finally {
    await rm(claim, { force: true });
  }
  return {
    get compromised() {
      return compromised;
    },
    async release() {
      // The lock first, then the record: a lock directory never stands without its record
      // while we hold it, so nobody can judge it orphaned and take it from under us.
      if (!compromised) await release();
      await rm(join(dir, ownerFileName(owner.hostname, owner.pid)), { force: true });
    },
  };
}
