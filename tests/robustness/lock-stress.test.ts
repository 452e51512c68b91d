/**
 * Several writer processes compete for one index lock over many rounds, some dying
 * (SIGKILL) while holding it so the others must take it over: the shared log shows
 * at most one holder at any time.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WORKER = fileURLToPath(new URL('./workers/lock-writer.ts', import.meta.url));
const WRITERS = 4;
const ROUNDS = 30;
const DIE_AT = [0, 1, 2, 3, 4, 5];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'newsrag-lock-stress-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function writer(log: string, rounds: number, dieAt?: number): Promise<number | null> {
  const args = ['--import', 'tsx', WORKER, dir, log, String(rounds)];
  if (dieAt !== undefined) args.push('--die-at', String(dieAt));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return once(child, 'exit').then(([code]) => code as number | null);
}

describe('writer lock under contention (processes)', () => {
  it('is held by at most one writer at a time, across take-overs of dead writers', async () => {
    const log = path.join(dir, 'log');
    await writeFile(log, '');
    const started = performance.now();
    // DYING writers die holding the lock (in rounds 1, 2, …); the survivors keep competing and take over.
    const codes = await Promise.all([
      ...Array.from({ length: WRITERS }, () => writer(log, ROUNDS)),
      ...DIE_AT.map((round) => writer(log, ROUNDS, round)),
    ]);
    expect(codes.slice(0, WRITERS)).toEqual(Array(WRITERS).fill(0));
    expect(codes.slice(WRITERS)).toEqual(DIE_AT.map(() => null)); // killed by SIGKILL

    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    let holder: string | null = null;
    let sections = 0;
    for (const [i, line] of lines.entries()) {
      const [what, pid] = line.split(' ') as [string, string];
      if (what === 'enter') {
        expect(holder, `line ${i + 1}: ${pid} entered while ${holder} held the lock`).toBeNull();
        holder = pid;
        sections++;
      } else if (what === 'exit' || what === 'dying') {
        expect(pid).toBe(holder);
        holder = null;
      } else {
        throw new Error(`line ${i + 1}: ${line}`); // 'compromised' must never happen
      }
    }
    expect(sections).toBe(WRITERS * ROUNDS + DIE_AT.reduce((n, r) => n + r + 1, 0));
    console.log(
      `${sections} critical sections by ${WRITERS + DIE_AT.length} processes (${DIE_AT.length} killed holding the lock) in ${((performance.now() - started) / 1000).toFixed(1)} s, never overlapping`,
    );
  }, 300_000);
});
