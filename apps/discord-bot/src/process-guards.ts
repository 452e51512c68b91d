import type { Logger } from './log.js';

/** Exit code after an uncaught exception: the process state is unknown, a supervisor restarts it. */
export const FATAL_EXIT_CODE = 70; // EX_SOFTWARE

/**
 * Process-wide error policy of the bot's entry point (a library must not change it):
 * - an unhandled promise rejection is logged and the bot keeps running (discord.js
 *   rejects inside its gateway dispatch when a payload is malformed; nothing is left
 *   half-done by a rejected promise);
 * - an uncaught exception is logged and the process exits with {@link FATAL_EXIT_CODE}:
 *   a throw that unwound an unknown part of the stack may have left state inconsistent,
 *   so the bot stops and its supervisor (systemd, Docker, pm2) starts it afresh.
 * Returns a function that removes the guards. `exit` is injectable for tests.
 */
export function installProcessGuards(
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  const onRejection = (reason: unknown) => logger.error('unhandled rejection (the bot keeps running)', reason);
  const onException = (error: Error) => {
    logger.error(
      `uncaught exception: exiting with code ${FATAL_EXIT_CODE} for the supervisor to restart the bot`,
      error,
    );
    exit(FATAL_EXIT_CODE);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
