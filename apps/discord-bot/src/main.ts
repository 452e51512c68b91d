/**
 * Entry of `npm run bot`: loads the config, opens (and if needed builds) the index, logs in.
 * Also what `bot:shards` runs once per shard (discord.js's Client reads SHARDS / SHARD_COUNT).
 */

import { createBot } from './bot.js';
import { describeConfig, describeShard, loadConfig } from './config.js';
import { ensureIndex } from './first-index.js';
import { openBotKnowledgeBase } from './knowledge-base.js';
import { createLogger } from './log.js';
import { installProcessGuards } from './process-guards.js';

/** SIGTERM/SIGINT end the process within this long (systemd and Docker wait 10 s before SIGKILL). */
const SHUTDOWN_MS = 3_500;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({
    secrets: [config.token],
    ...(config.shard ? { tag: `shard ${describeShard(config.shard)}` } : {}),
  });
  logger.info(`starting newsrag bot: ${describeConfig(config)}`);
  // After an uncaught exception the knowledge base is closed first: that stops its worker threads.
  let kb: Awaited<ReturnType<typeof openBotKnowledgeBase>> | null = null;
  installProcessGuards(logger, undefined, async () => kb?.close());

  kb = await openBotKnowledgeBase(config, { onNotice: (line) => logger.info(line) });
  await ensureIndex(kb, config, logger);
  // Load the model's weights before the first real question arrives.
  await kb.embedder.embedQuery('warm up');

  const bot = createBot(config, kb, { logger });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    // Whatever the connection's state (a gateway gone away can make destroy() hang), the
    // process is gone within SHUTDOWN_MS; index writes are atomic, so cutting one short loses nothing.
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), SHUTDOWN_MS).unref());
    try {
      const done = await Promise.race([
        (async () => {
          // Together: closing the knowledge base also stops a running index between batches,
          // which must happen before exit even when the gateway makes bot.stop() slow.
          await Promise.all([bot.stop(), kb.close()]);
          return 'done' as const;
        })(),
        deadline,
      ]);
      if (done === 'late') logger.warn(`shutdown took longer than ${SHUTDOWN_MS} ms; exiting anyway`);
    } catch (error) {
      logger.error('error while shutting down', error);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Started by `bot:shards`: a shard whose manager died must not live on beside the shards of
  // the manager its supervisor starts next (two sessions of one shard would answer twice).
  if (process.send) process.once('disconnect', () => void shutdown('the shard manager went away'));
  await bot.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`newsrag bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
