/**
 * Child process of big-file.test.ts: indexes a folder with the stand-in embedder and
 * reports the RSS growth of the run (sampled every 5 ms, peak minus the RSS before it),
 * so the parent can check that a huge file does not blow the memory up.
 *
 *   node --import tsx tests/robustness/workers/index-big.ts <index folder> <articles folder>
 */
import { FolderIndexStore, runIndex } from '@newsrag/core';
import { createEmbedder } from '@newsrag/embed';

const [indexDir, articlesDir] = process.argv.slice(2);
if (!indexDir || !articlesDir) {
  process.stderr.write('usage: index-big.ts <index folder> <articles folder>\n');
  process.exit(2);
}
const embedder = await createEmbedder({ model: 'standin' });
// Warm up the pipeline so its one-time allocations do not count as the run's.
await embedder.embedDocuments(['warm up the model once before measuring']);
global.gc?.();
const before = process.memoryUsage().rss;
let peak = before;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const t0 = performance.now();
const { summary } = await runIndex({ store: new FolderIndexStore(indexDir), embedder, paths: [articlesDir] });
const ms = performance.now() - t0;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
await embedder.dispose();
const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
process.stdout.write(
  `${JSON.stringify({ summary, ms: Math.round(ms), rssBeforeMiB: mib(before), rssPeakMiB: mib(peak), rssGrowthMiB: mib(peak - before) })}\n`,
);
