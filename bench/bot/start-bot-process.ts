/** Starts `bot-process.ts` in a child process (through tsx, workspace packages from source) and talks to it. */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BotProcessReply, BotProcessRequest } from './bot-process.js';
import type { EventLoopProbe } from './crowd.js';

const ENTRY = fileURLToPath(new URL('./bot-process.ts', import.meta.url));
/** The bench's tsconfig: its paths resolve the workspace packages to their sources. */
const TSCONFIG = fileURLToPath(new URL('../tsconfig.json', import.meta.url));

export interface BotProcess {
  articles: number;
  /** Event-loop delay of the bot's process between `start` and `stop`, and the CPU it used, ms. */
  eventLoop: EventLoopProbe;
  stop(): Promise<void>;
}

/** Node flags that write a CPU profile of the bot process into `dir` (none without a dir). */
export function cpuProfileArgs(dir: string | undefined): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** `env`: the bot's environment (DISCORD_TOKEN, DISCORD_API_URL, NEWSRAG_INDEX_DIR…). */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child: ChildProcess = fork(ENTRY, [], {
    // NEWSRAG_BENCH_CPU_PROF=<dir>: a V8 CPU profile of the bot process, written when it exits.
    execArgv: ['--import', 'tsx', ...cpuProfileArgs(process.env.NEWSRAG_BENCH_CPU_PROF)],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TSX_TSCONFIG_PATH: TSCONFIG, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // Replies are queued as they come; a waiter takes the next one of its type, or fails on exit.
  const inbox: BotProcessReply[] = [];
  const waiters = new Set<() => void>();
  let exitCode: number | null | undefined;
  child.on('message', (reply: BotProcessReply) => {
    inbox.push(reply);
    for (const wake of [...waiters]) wake();
  });
  child.on('exit', (code) => {
    exitCode = code;
    for (const wake of [...waiters]) wake();
  });
  const next = async (type: BotProcessReply['type']): Promise<BotProcessReply> => {
    for (;;) {
      const error = inbox.find((r) => r.type === 'error');
      if (error?.type === 'error') throw new Error(`the bot process failed: ${error.message}`);
      const index = inbox.findIndex((r) => r.type === type);
      if (index >= 0) return inbox.splice(index, 1)[0] as BotProcessReply;
      if (exitCode !== undefined)
        throw new Error(`the bot process exited with code ${exitCode} before answering "${type}"`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      });
    }
  };
  const request = (message: BotProcessRequest) => child.send(message);
  const ready = await next('ready');
  return {
    articles: ready.type === 'ready' ? ready.articles : 0,
    eventLoop: {
      start: () => request({ type: 'eld-start' }),
      async stop() {
        const pending = next('eld');
        request({ type: 'eld-stop' });
        const reply = await pending;
        if (reply.type !== 'eld') throw new Error('unexpected reply from the bot process');
        return {
          p50: reply.p50,
          p99: reply.p99,
          max: reply.max,
          cpu: { processMs: reply.cpuMs, mainThreadMs: reply.mainThreadMs },
          ...(reply.forwardPasses !== null ? { forwardPasses: reply.forwardPasses } : {}),
        };
      },
    },
    async stop() {
      if (exitCode !== undefined) return;
      const exited = once(child, 'exit');
      request({ type: 'stop' });
      await exited;
    },
  };
}
