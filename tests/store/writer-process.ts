/**
 * A writer in its own process (a store's write worker run with tsx), for the kill -9,
 * pause and racing-writer tests of the conformance suite and the Postgres engine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { KILL_POINT_ENV, PAUSE_POINT_ENV } from '@newsrag/core/internals';
import { REPO_ROOT } from '@newsrag/test-support';

export interface WriterProcess {
  process: ChildProcess;
  /** Everything it wrote to stderr so far (the workers report kill and pause points there). */
  stderr: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs `worker` with `args`. A kill or pause point reaches the child only when `env` sets
 * it: one inherited from the test's own environment would stop the wrong process.
 */
export function startWriter(worker: string, args: string[], env: Record<string, string> = {}): WriterProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env[KILL_POINT_ENV]) delete childEnv[KILL_POINT_ENV];
  if (!env[PAUSE_POINT_ENV]) delete childEnv[PAUSE_POINT_ENV];
  const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, stderr: () => err, exited };
}

/** Resolves once the writer's stderr holds `text`; rejects if it exits first or after `timeoutMs`. */
export async function waitFor(child: WriterProcess, text: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!child.stderr().includes(text)) {
    if (child.process.exitCode !== null) throw new Error(`writer exited before "${text}":\n${child.stderr()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`no "${text}" after ${timeoutMs} ms:\n${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
