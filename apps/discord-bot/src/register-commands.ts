import { REST, Routes } from 'discord.js';
import { commandDefinitions } from './commands/definitions.js';
import { type BotConfig, BotConfigError } from './config.js';

/**
 * Registers (overwrites) the slash commands: in one guild when `guildId` is set
 * (instant), else globally (may take up to an hour to appear). Returns the number registered.
 * @throws {BotConfigError} when `DISCORD_APP_ID` is missing.
 */
export async function registerCommands(config: BotConfig): Promise<{ count: number; scope: string }> {
  if (!config.appId) {
    throw new BotConfigError(
      'DISCORD_APP_ID is required to register commands: copy the Application ID from the Developer Portal (General Information).',
    );
  }
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  const body = commandDefinitions();
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.appId, config.guildId)
    : Routes.applicationCommands(config.appId);
  const result = (await rest.put(route, { body })) as unknown[];
  return { count: result.length, scope: config.guildId ? `guild ${config.guildId}` : 'global' };
}
