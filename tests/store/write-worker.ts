/**
 * Child process of the store conformance suite: writes one synthetic update (the articles
 * named, made from the seed exactly as `conformance.ts` makes them) into an index with the
 * named engine. Exit code 0: written; 3: INDEX_LOCKED; 1: anything else (message on stderr).
 * The suite kills it at kill points (NEWSRAG_TEST_KILL_AT) or holds it (NEWSRAG_TEST_PAUSE_AT).
 *
 *   node --import tsx tests/store/write-worker.ts <engine> <location> <article id>…
 */
import { NewsragError } from '../../packages/core/src/errors.js';
import { engine } from './engines.js';
import { articleUpdate } from './fixtures.js';

const [name, location, ...ids] = process.argv.slice(2);
if (!name || !location || ids.length === 0) {
  process.stderr.write('usage: write-worker.ts <engine> <location> <article id>…\n');
  process.exit(2);
}
try {
  await engine(name).make(location).write(articleUpdate(ids));
  process.stderr.write('WRITTEN\n');
  process.exit(0);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(error instanceof NewsragError && error.code === 'INDEX_LOCKED' ? 3 : 1);
}
