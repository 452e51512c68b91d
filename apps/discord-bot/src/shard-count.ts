/**
 * The shard count `bot:shards` starts: `NEWSRAG_SHARDS`, or what Discord recommends.
 *
 * discord.js's own `auto` (ShardingManager, `fetchRecommendedShardCount`) always asks
 * https://discord.com/api, whatever REST base the client uses; so the recommendation is fetched
 * here, from `GET /gateway/bot` of `DISCORD_API_URL`, with discord.js's REST (its retries and
 * rate limits), and the manager is given a number.
 */
import { REST, type RESTGetAPIGatewayBotResult, Routes } from 'discord.js';
import { type BotConfig, MAX_SHARD_PROCESSES } from './config.js';

/** The shard count could not be had from Discord, or is more than one machine should run. */
export class ShardCountError extends Error {
  override readonly name = 'ShardCountError';
  readonly code = 'SHARD_COUNT';
}

/**
 * The number of shards to run: `config.shards`, or for `auto` the `shards` field of
 * `GET /gateway/bot` at `config.apiUrl`.
 * @throws {ShardCountError} when the API cannot be asked (the token refused, unreachable) or
 * recommends more than {@link MAX_SHARD_PROCESSES}.
 */
export async function shardCount(config: Pick<BotConfig, 'shards' | 'apiUrl' | 'token'>): Promise<number> {
  if (config.shards !== 'auto') return config.shards;
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  let recommended: number;
  try {
    const info = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
    recommended = info.shards;
  } catch (error) {
    throw new ShardCountError(
      `Could not ask ${config.apiUrl}/gateway/bot how many shards to run (${error instanceof Error ? error.message : String(error)}). Check DISCORD_TOKEN and DISCORD_API_URL, or set NEWSRAG_SHARDS to a number.`,
      { cause: error },
    );
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
  if (!Number.isInteger(recommended) || recommended < 1) {
    throw new ShardCountError(
      `${config.apiUrl}/gateway/bot recommended ${String(recommended)} shards, not a shard count; set NEWSRAG_SHARDS to a number.`,
    );
  }
  if (recommended > MAX_SHARD_PROCESSES) {
    throw new ShardCountError(
      `Discord recommends ${recommended} shards: more than the ${MAX_SHARD_PROCESSES} processes bot:shards runs on one machine. Run them on several machines (\`npm run bot\` with SHARDS and SHARD_COUNT on each).`,
    );
  }
  return recommended;
}
