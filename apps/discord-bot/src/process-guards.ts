import type { Logger } from './log.js';

/** Exit code after an uncaught exception: the process state is unknown, a supervisor restarts it. */
export const FATAL_EXIT_CODE = 70; // EX_SOFTWARE
/** How long the worker threads get to stop after an uncaught exception before the process exits regardless. */
export const FATAL_CLEANUP_MS = 3_000;

/**
 * Process-wide error policy of the bot's entry point (a library must not change it):
 * - an unhandled promise rejection is logged and the bot keeps running (discord.js
 *   rejects inside its gateway dispatch when a payload is malformed; nothing is left
 *   half-done by a rejected promise);
 * - an uncaught exception is logged and the process exits with {@link FATAL_EXIT_CODE}:
 *   a throw that unwound an unknown part of the stack may have left state inconsistent,
 *   so the bot stops and its supervisor (systemd, Docker, pm2) starts it afresh.
 *
 * Before that exit, `cleanup` (when given) has {@link FATAL_CLEANUP_MS} to stop the worker
 * threads: exiting while onnxruntime computes in one aborts the process (a signal, not code
 * 70), which a supervisor reads as a crash of another kind. Past the deadline it exits anyway.
 * Returns a function that removes the guards. `exit` is injectable for tests.
 */
export function installProcessGuards(
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
  cleanup?: () => Promise<unknown>,
): () => void {
  const onRejection = (reason: unknown) => logger.error('unhandled rejection (the bot keeps running)', reason);
  let exiting = false;
  const onException = (error: Error) => {
    logger.error(
      `uncaught exception: exiting with code ${FATAL_EXIT_CODE} for the supervisor to restart the bot`,
      error,
    );
    if (exiting) return;
    exiting = true;
    if (!cleanup) return exit(FATAL_EXIT_CODE);
    const deadline = new Promise((resolve) => setTimeout(resolve, FATAL_CLEANUP_MS).unref());
    void Promise.race([cleanup().catch(() => undefined), deadline]).then(() => exit(FATAL_EXIT_CODE));
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
