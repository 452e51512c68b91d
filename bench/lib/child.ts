/**
 * Runs one measurement in a fresh Node process, so its peak RSS and its warm-up are
 * its own. The child is a `bench/workers/*.ts` script started through tsx with the
 * bench tsconfig (workspace packages resolve to their sources); it gets its
 * parameters as JSON in argv and answers once over IPC (see {@link workerMain}).
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { benchDir } from './paths.js';

/** What a worker sends back. */
type WorkerMessage<R> = { ok: true; result: R; maxRssBytes: number } | { ok: false; error: string };

/** A worker's result plus the peak resident set size of its process. */
export interface ChildResult<R> {
  result: R;
  maxRssBytes: number;
  wallMs: number;
}

/** Options of {@link runChild}. */
export interface ChildOptions {
  /** Kill the child after this long (default 40 minutes). */
  timeoutMs?: number;
  /** Extra Node flags, e.g. `--expose-gc`. */
  nodeFlags?: string[];
  env?: Record<string, string>;
}

/**
 * Runs `bench/workers/<name>.ts` with `params` and resolves with its result.
 * Its stdout/stderr go to ours (stderr only, for stdout: the report is on stdout).
 */
export function runChild<P, R>(name: string, params: P, options: ChildOptions = {}): Promise<ChildResult<R>> {
  const script = path.join(benchDir, 'workers', `${name}.ts`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = fork(script, [JSON.stringify(params)], {
      execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])],
      env: { ...process.env, TSX_TSCONFIG_PATH: path.join(benchDir, 'tsconfig.json'), ...options.env },
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    let message: WorkerMessage<R> | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench worker ${name} timed out after ${options.timeoutMs ?? 2_400_000} ms`));
    }, options.timeoutMs ?? 2_400_000);
    child.on('message', (m) => {
      message = m as WorkerMessage<R>;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (message?.ok) {
        resolve({ result: message.result, maxRssBytes: message.maxRssBytes, wallMs: performance.now() - started });
      } else if (message && !message.ok) {
        reject(new Error(`bench worker ${name} failed: ${message.error}`));
      } else {
        reject(new Error(`bench worker ${name} exited (code ${code}, signal ${signal}) without a result`));
      }
    });
  });
}

/**
 * The body of a worker script: parses the parameters, runs `main`, sends the result
 * and the process's peak RSS (`process.resourceUsage().maxRSS`, KiB on Linux) to the parent.
 */
export function workerMain<P, R>(main: (params: P) => Promise<R>): void {
  const raw = process.argv[2];
  const send = (m: WorkerMessage<R>) =>
    new Promise<void>((resolve) => {
      if (!process.send) {
        console.log(JSON.stringify(m, null, 2));
        resolve();
        return;
      }
      process.send(m, () => resolve());
    });
  (async () => {
    const params = JSON.parse(raw ?? '{}') as P;
    const result = await main(params);
    await send({ ok: true, result, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  })()
    .catch(async (error: unknown) => {
      await send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    })
    .finally(() => {
      // Open handles (ONNX threads, sockets) must not keep a finished worker alive.
      process.exit(0);
    });
}
