/**
 * The bot for someone running or embedding it: read the settings, open the knowledge base
 * the way the bot runs it, create the bot, register its commands.
 *
 * ```ts
 * import { createBot, createLogger, loadConfig, openBotKnowledgeBase } from '@newsrag/discord-bot';
 *
 * const config = loadConfig(); // the environment and ./.env
 * const kb = await openBotKnowledgeBase(config);
 * const bot = createBot(config, kb, { logger: createLogger({ secrets: [config.token] }) });
 * await bot.start();
 * ```
 *
 * What the tests need beyond this is in `@newsrag/discord-bot/internals`.
 * @packageDocumentation
 */
export { type Bot, type CreateBotOptions, createBot } from './bot.js';
export { type BotConfig, BotConfigError, loadConfig, parseConfig, type ShardAssignment } from './config.js';
export { openBotKnowledgeBase } from './knowledge-base.js';
export { createLogger, type Logger } from './log.js';
export { registerCommands } from './register-commands.js';
