/**
 * Entry of `npm run bot:shards`: the bot as several processes, one per shard (discord.js's
 * ShardingManager), all answering from the one index `NEWSRAG_INDEX` names (a Postgres URL, for
 * processes on several machines). `NEWSRAG_SHARDS` says how many; `auto` asks `GET /gateway/bot`
 * of `DISCORD_API_URL`. This process holds no index and no model: it validates the settings,
 * starts the shard processes, and stops them on SIGTERM/SIGINT.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { installProcessGuards } from './process-guards.js';
import { shardCount } from './shard-count.js';
import { startShardProcesses } from './shard-processes.js';

/** The bot's main beside this file: `main.js` in dist/, `main.ts` when run from source. */
const MAIN = fileURLToPath(new URL(`./main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

async function main(): Promise<void> {
  // Every shard process would refuse a bad setting; refusing it here says so once.
  const config = loadConfig();
  const logger = createLogger({ secrets: [config.token], tag: 'shards' });
  installProcessGuards(logger);
  const count = await shardCount(config);
  logger.info(
    `starting ${count} shard process${count === 1 ? '' : 'es'} (${config.shards === 'auto' ? 'as recommended by ' : 'NEWSRAG_SHARDS; api '}${config.apiUrl})`,
  );
  const shards = startShardProcesses({ file: MAIN, count, token: config.token, logger });
  let stopping = false;
  const stop = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${why}: stopping the shard processes`);
    await shards.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  try {
    await shards.started;
  } catch (error) {
    // Stopped while starting: the shards killed on the way are not a failure.
    if (stopping) return;
    // A shard that cannot start would be respawned forever; the supervisor restarts us instead.
    logger.error('a shard process could not start', error);
    await stop('start-up failed', 1);
    return;
  }
  if (!stopping) logger.info(`all ${count} shards ready`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `newsrag bot shards could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
