/**
 * Child process of the crash tests: runs one `runIndex` over the given folder with
 * the stand-in embedder and prints the summary as JSON on stdout. The test kills it
 * with SIGKILL at random moments or at a store kill point (`NEWSRAG_TEST_KILL_AT`,
 * see packages/core/src/store/kill-point.ts).
 *
 *   node --import tsx tests/crash/index-worker.ts <index folder> <articles folder>
 *
 * Imports sources by path so the run never depends on a build in dist/.
 */
import { FolderIndexStore, runIndex } from '@newsrag/core';
import { createEmbedder } from '@newsrag/embed';

const [indexDir, articlesDir] = process.argv.slice(2);
if (!indexDir || !articlesDir) {
  process.stderr.write('usage: index-worker.ts <index folder> <articles folder>\n');
  process.exit(2);
}
const embedder = await createEmbedder({ model: 'standin' });
process.stderr.write('WORKER_READY\n');
const { summary } = await runIndex({ store: new FolderIndexStore(indexDir), embedder, paths: [articlesDir] });
await embedder.dispose();
process.stdout.write(`${JSON.stringify(summary)}\n`);
