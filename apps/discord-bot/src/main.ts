/** Entry of `npm run bot`: loads the config, opens (and if needed builds) the index, logs in. */
import { openKnowledgeBase } from '@newsrag/core';
import { createBot } from './bot.js';
import { describeConfig, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { installProcessGuards } from './process-guards.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ secrets: [config.token] });
  logger.info(`starting newsrag bot: ${describeConfig(config)}`);
  installProcessGuards(logger);

  const kb = await openKnowledgeBase({
    indexDir: config.indexDir,
    model: config.model,
    dtype: config.dtype,
    onNotice: (line) => logger.info(line),
  });
  if (kb.articles().length === 0) {
    logger.info(`no index in ${config.indexDir} yet: indexing ${config.articlesDir}`);
    const summary = await kb.index([config.articlesDir]);
    logger.info(
      `indexed ${summary.added} articles (${summary.chunksEmbedded} passages) in ${summary.seconds.toFixed(1)} s`,
    );
  }
  // Load the model's weights before the first real question arrives.
  await kb.embedder.embedQuery('warm up');

  const bot = createBot(config, kb, { logger });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    try {
      await bot.stop();
      await kb.close();
    } catch (error) {
      logger.error('error while shutting down', error);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await bot.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`newsrag bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
