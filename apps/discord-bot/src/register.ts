/** Entry of `npm run bot:register`: registers the slash commands with Discord. */
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { registerCommands } from './register-commands.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ secrets: [config.token] });
  try {
    const { count, scope } = await registerCommands(config);
    logger.info(`registered ${count} commands (${scope})`);
  } catch (error) {
    logger.error('registering the commands failed', error);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  // Config errors never contain the token; anything else is still printed through no logger, so keep it short.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
