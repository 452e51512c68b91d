/**
 * What the end-to-end tests and the bot's benchmarks check the bot against, beyond its
 * public API (`@newsrag/discord-bot`): the texts it answers with, Discord's limits it
 * keeps to, how it keys users and counts shards. Not a contract: it changes with the bot.
 * @packageDocumentation
 */
export { apologyFor } from './bot.js';
export { userKey } from './feedback.js';
export { ABSTAIN_TEXT, FOLLOW_UP_PREFIX } from './render/answer-embed.js';
export { LIMITS } from './render/limits.js';
export { ShardCountError, shardCount } from './shard-count.js';
