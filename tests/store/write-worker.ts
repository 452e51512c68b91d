/**
 * Child process of the store conformance suite: writes one synthetic update (the articles
 * named, made from the seed exactly as `conformance.ts` makes them) into an index with the
 * named engine. Exit code 0: written; 3: INDEX_LOCKED; 1: anything else (message on stderr).
 * The suite kills it at kill points (NEWSRAG_TEST_KILL_AT) or holds it (NEWSRAG_TEST_PAUSE_AT).
 * It exits explicitly, after releasing what the store holds (a server engine's pool).
 *
 *   node --import tsx tests/store/write-worker.ts <engine> <location> <article id>…
 */
import { NewsragError } from '@newsrag/core';
import { engine } from './engines.js';
import { articleUpdate } from './fixtures.js';

const [name, location, ...ids] = process.argv.slice(2);
if (!name || !location || ids.length === 0) {
  process.stderr.write('usage: write-worker.ts <engine> <location> <article id>…\n');
  process.exit(2);
}
const store = engine(name).make(location);
let code = 0;
try {
  const reader = await store.write(articleUpdate(ids));
  reader.close?.();
  process.stderr.write('WRITTEN\n');
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  code = error instanceof NewsragError && error.code === 'INDEX_LOCKED' ? 3 : 1;
}
await store.close?.();
process.exit(code);
