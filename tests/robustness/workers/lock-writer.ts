/**
 * Child process of lock-stress.test.ts: takes the writer lock of an index folder
 * `rounds` times (retrying while another process holds it) and logs each critical
 * section to a shared O_APPEND log: `enter <pid>`, then `exit <pid>` after holding it a
 * few ms. With `--die-at <round>` it logs `dying <pid>` in that round and SIGKILLs
 * itself while holding the lock, so the others must take over a dead writer's lock.
 *
 *   node --import tsx tests/robustness/workers/lock-writer.ts <dir> <log> <rounds> [--die-at n]
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { NewsragError } from '@newsrag/core';
import { acquireWriterLock } from '@newsrag/core/internals';

const [dir, log, roundsArg, flag, dieAtArg] = process.argv.slice(2);
if (!dir || !log || !roundsArg) {
  process.stderr.write('usage: lock-writer.ts <dir> <log> <rounds> [--die-at n]\n');
  process.exit(2);
}
const rounds = Number(roundsArg);
const dieAt = flag === '--die-at' ? Number(dieAtArg) : -1;
const note = (what: string) => appendFileSync(log, `${what} ${process.pid}\n`);

for (let round = 0; round < rounds; round++) {
  let lock: Awaited<ReturnType<typeof acquireWriterLock>>;
  for (;;) {
    try {
      lock = await acquireWriterLock(dir);
      break;
    } catch (error) {
      if (!(error instanceof NewsragError && error.code === 'INDEX_LOCKED')) throw error;
      await sleep(2 + Math.random() * 8);
    }
  }
  note('enter');
  if (round === dieAt) {
    note('dying');
    process.kill(process.pid, 'SIGKILL');
  }
  await sleep(1 + Math.random() * 4);
  if (lock.compromised) note('compromised');
  note('exit');
  await lock.release();
}
