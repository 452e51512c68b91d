import { existsSync, writeSync } from 'node:fs';

/**
 * Crash-test hook. The moments of a write at which `tests/crash` SIGKILLs the writer.
 * When `NEWSRAG_TEST_KILL_AT` names one of them, the writer prints
 * `NEWSRAG_KILL_POINT <name>` on stderr when it gets there and waits (up to a
 * minute, then fails) so the test can kill it exactly there. Unset, it costs one
 * env lookup per point and does nothing.
 */
export type KillPoint =
  | 'locked' // lock held, nothing written yet
  | 'mid-vectors' // half of the new vectors.f32 written into the temp generation
  | 'before-rename' // temp generation complete and fsynced, not yet renamed
  | 'after-rename' // generation renamed into place, CURRENT still names the old one
  | 'mid-current' // the new CURRENT temp file written, not yet renamed over CURRENT
  | 'after-current' // CURRENT switched, old generations not yet cleaned up
  // SQLite engine (sqlite/sqlite-store.ts); `locked` is also its first point:
  | 'mid-transaction' // write transaction open, half of the upserts' rows inserted
  | 'before-commit' // every row of the update inserted, COMMIT not yet run
  | 'after-commit'; // COMMIT done, the new snapshot not yet loaded

export const KILL_POINT_ENV = 'NEWSRAG_TEST_KILL_AT';
export const KILL_POINT_MARKER = 'NEWSRAG_KILL_POINT';

/**
 * `NEWSRAG_TEST_PAUSE_AT=<point>:<file>` makes a writer print `NEWSRAG_PAUSE_POINT <point>`
 * there and wait (up to a minute) until `file` exists, then go on: how the store conformance
 * suite holds one writer inside its write while a second one tries, however slow the machine.
 */
export const PAUSE_POINT_ENV = 'NEWSRAG_TEST_PAUSE_AT';
export const PAUSE_POINT_MARKER = 'NEWSRAG_PAUSE_POINT';

export async function killPoint(point: KillPoint): Promise<void> {
  const pause = process.env[PAUSE_POINT_ENV];
  if (pause?.startsWith(`${point}:`)) {
    writeSync(2, `${PAUSE_POINT_MARKER} ${point}\n`);
    const release = pause.slice(point.length + 1);
    for (let waited = 0; !existsSync(release) && waited < 60_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  if (process.env[KILL_POINT_ENV] !== point) return;
  writeSync(2, `${KILL_POINT_MARKER} ${point}\n`);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  throw new Error(`${KILL_POINT_ENV}=${point}: waited 60 s to be killed, nobody did`);
}
