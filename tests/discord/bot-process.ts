/**
 * The bot's real entry points (`main.ts`, `shards.ts`) from source in a child process, as
 * `npm run bot` / `npm run bot:shards` run them, with everything they print collected.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_TOKEN } from './harness.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface BotProcess {
  child: ChildProcess;
  /** stdout and stderr so far (the shard processes of `shards.ts` write to the same). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (past or future); rejects if the process exits first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null: killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Starts `apps/discord-bot/src/<entry>` with `node --import tsx` (one process, so signals and
 * exit codes are the bot's own; `shards.ts` passes the flag on to its shard processes).
 */
export function startBotProcess(entry: 'main.ts' | 'shards.ts', env: Record<string, string>): BotProcess {
  let output = '';
  const listeners = new Set<() => void>();
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'apps/discord-bot/src', entry)], {
    // The repository, where `--import tsx` resolves (every path the bot uses is given absolute).
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TSX_TSCONFIG_PATH: join(REPO, 'tests/discord/tsconfig.sources.json'),
      DISCORD_TOKEN: TEST_TOKEN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (d: Buffer) => {
    output += d.toString();
    for (const l of [...listeners]) l();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => output,
    exited,
    waitForOutput(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = output.match(pattern);
          if (!m) return false;
          done();
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} in the bot's output within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(listener);
        };
        const listener = () => void check();
        if (check()) return;
        listeners.add(listener);
        void exited.then((code) => {
          if (check()) return;
          done();
          reject(new Error(`the bot exited (code ${code}) before printing ${pattern}:\n${output}`));
        });
      });
    },
  };
}
