/**
 * Child process of the Postgres store tests: writes the conformance suite's synthetic update
 * for the articles named into the Postgres index at `url`. Exit code 0: written; 3:
 * INDEX_LOCKED; 1: anything else (message on stderr). The tests kill it at kill points
 * (NEWSRAG_TEST_KILL_AT) or hold it inside its transaction (NEWSRAG_TEST_PAUSE_AT).
 *
 *   node --import tsx tests/store/pg-write-worker.ts <postgres url> <article id>…
 */
import { NewsragError } from '@newsrag/core';
import { PostgresIndexStore } from '@newsrag/core/postgres';
import { articleUpdate } from './fixtures.js';

const [url, ...ids] = process.argv.slice(2);
if (!url || ids.length === 0) {
  process.stderr.write('usage: pg-write-worker.ts <postgres url> <article id>…\n');
  process.exit(2);
}
const store = new PostgresIndexStore(url);
try {
  await store.commit(articleUpdate(ids));
  process.stderr.write('WRITTEN\n');
  await store.close();
  process.exit(0);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(error instanceof NewsragError && error.code === 'INDEX_LOCKED' ? 3 : 1);
}
