import type { Logger } from './log.js';

/**
 * Keeps the process alive when a library throws outside any handler of ours — discord.js
 * rejects inside its gateway dispatch when a payload is malformed — by logging instead
 * of letting Node exit. Installed by the entry point only: a library must not change
 * process-wide behaviour. Returns a function that removes the guards.
 */
export function installProcessGuards(logger: Logger): () => void {
  const onRejection = (reason: unknown) => logger.error('unhandled rejection (ignored, the bot keeps running)', reason);
  const onException = (error: Error) => logger.error('uncaught exception (ignored, the bot keeps running)', error);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
