/**
 * One bot process per shard, under discord.js's ShardingManager: each is the bot's own entry
 * (main) with SHARDS / SHARD_COUNT set, which discord.js's Client reads to identify as that
 * shard. They start one after another: the next only once the previous one's gateway session
 * is ready (the first may be building the index meanwhile; Discord allows one IDENTIFY per
 * 5 s). A process that exits later is started again by the manager (`respawn`).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { type Shard, ShardingManager } from 'discord.js';
import type { Logger } from './log.js';

/** Between two shards' starts: Discord takes one IDENTIFY per 5 s (`max_concurrency` 1), plus a margin. */
export const IDENTIFY_SPACING_MS = 5_500;
/** How long the shard processes get to exit after SIGTERM (each exits within 3.5 s) before they are killed. */
export const STOP_GRACE_MS = 4_500;

/** A shard process that exited before its first ready: a start-up failure, not one to respawn in a loop. */
export class ShardStartError extends Error {
  override readonly name = 'ShardStartError';
  readonly code = 'SHARD_START';
}

export interface ShardProcessesOptions {
  /** The entry each shard process runs (the bot's main). */
  file: string;
  count: number;
  token: string;
  /** Node flags of the shard processes (default this process's own, e.g. `--import tsx`). */
  execArgv?: string[];
  spacingMs?: number;
  logger: Logger;
}

/** The running shard processes. */
export interface ShardProcesses {
  readonly manager: ShardingManager;
  /** Resolves once every shard's session is ready; rejects with {@link ShardStartError} when one exits first. */
  readonly started: Promise<void>;
  /** Stops starting shards, SIGTERMs every shard process (not respawned) and waits for them to exit. */
  stop(): Promise<void>;
}

/** How a shard's process ended, for the log (the manager runs processes, never workers). */
function exitOf(child: ChildProcess | Worker): string {
  if (!('exitCode' in child)) return 'a worker';
  return child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode ?? 'none'}`;
}

/** Starts `count` shard processes, 0 first. */
export function startShardProcesses(options: ShardProcessesOptions): ShardProcesses {
  const { count, logger } = options;
  const manager = new ShardingManager(options.file, {
    totalShards: count,
    token: options.token,
    mode: 'process',
    respawn: true,
    execArgv: options.execArgv ?? process.execArgv,
  });
  const stopping = new AbortController();
  const name = (shard: Shard) => `shard ${shard.id}/${count}`;

  const startOne = async (id: number): Promise<void> => {
    const shard = manager.createShard(id);
    let readyOnce = false;
    shard.on('spawn', (child) =>
      logger.info(`${name(shard)}: process ${'pid' in child ? child.pid : 'worker'} started`),
    );
    shard.on('ready', () => {
      readyOnce = true;
      logger.info(`${name(shard)}: gateway session ready`);
    });
    shard.on('death', (child) => {
      if (stopping.signal.aborted) return;
      logger.warn(`${name(shard)}: process exited (${exitOf(child)})${readyOnce ? '; starting it again' : ''}`);
    });
    shard.on('error', (error: unknown) => logger.error(`${name(shard)}: could not be started again`, error));
    const ready = new Promise<void>((resolve, reject) => {
      shard.once('ready', () => resolve());
      shard.once('death', (child) =>
        reject(
          new ShardStartError(
            `${name(shard)}: the bot process exited (${exitOf(child)}) before its gateway session was ready; its log above says why.`,
          ),
        ),
      );
    });
    // -1: spawn() returns at once; the wait for ready is `ready`, without discord.js's 30 s
    // limit, which the first shard's building of the index can exceed.
    await shard.spawn(-1);
    await ready;
  };

  const started = (async () => {
    for (let id = 0; id < count; id += 1) {
      if (stopping.signal.aborted) return;
      await Promise.all([startOne(id), id < count - 1 ? sleep(options.spacingMs ?? IDENTIFY_SPACING_MS) : null]);
    }
  })();
  // The caller awaits it; a rejection while stopping is no news.
  started.catch(() => undefined);

  return {
    manager,
    started,
    async stop() {
      stopping.abort();
      const children = [...manager.shards.values()].flatMap((shard) => {
        const child = shard.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) return [];
        const exited = once(child, 'exit');
        shard.kill(); // SIGTERM, and no respawn
        return [{ child, exited }];
      });
      const late = await Promise.race([
        Promise.all(children.map((c) => c.exited)).then(() => false),
        sleep(STOP_GRACE_MS, true, { ref: false }),
      ]);
      if (late) {
        logger.warn(`shard processes still running ${STOP_GRACE_MS} ms after SIGTERM: killing them`);
        for (const { child } of children)
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  };
}
