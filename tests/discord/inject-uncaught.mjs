// Preloaded into the bot's process by main-lifecycle.e2e.test.ts (NODE_OPTIONS=--import):
// throws an exception outside every handler once the file named by NEWSRAG_TEST_THROW_FILE
// appears, to check that the bot logs it and exits for its supervisor to restart it.
import { existsSync } from 'node:fs';

const file = process.env.NEWSRAG_TEST_THROW_FILE;
// Only in the process running main.ts (NODE_OPTIONS reaches every process it starts).
if (file && process.argv[1]?.endsWith('main.ts')) {
  const timer = setInterval(() => {
    if (!existsSync(file)) return;
    clearInterval(timer);
    throw new Error('injected uncaught exception');
  }, 50);
  timer.unref();
}
