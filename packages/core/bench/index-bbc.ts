/**
 * End-to-end indexer benchmark on the BBC corpus with the real stand-in embedder:
 * full index, open time, a no-op re-run, and a one-article edit. Prints numbers.
 *
 *   npx tsx packages/core/bench/index-bbc.ts [corpus folder] [--model standin]
 */
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEmbedder } from '@newsrag/embed';
import { BBC_CORPUS } from '@newsrag/test-support';
import { runIndex } from '../src/indexer.js';
import { FolderIndexStore } from '../src/store/folder-store.js';

const args = process.argv.slice(2);
const modelArg = args.indexOf('--model');
const model = modelArg >= 0 ? (args[modelArg + 1] as string) : 'standin';
const source = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--model') ?? BBC_CORPUS;

const root = await mkdtemp(join(tmpdir(), 'newsrag-bench-index-'));
try {
  // A private copy, so an article can be edited.
  const corpus = join(root, 'articles');
  await cp(source, corpus, { recursive: true });
  const embedder = await createEmbedder({ model });
  const store = new FolderIndexStore(join(root, 'index'));
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${cpus().length} cores; model ${model}`,
  );

  const full = await runIndex({ store, embedder, paths: [corpus] });
  const s = full.summary;
  console.log(
    `full index: ${s.added} articles, ${s.chunksEmbedded} chunks embedded in ${s.seconds.toFixed(1)} s ` +
      `(${(s.chunksEmbedded / s.seconds).toFixed(0)} chunks/s), ${s.issues.length} ingest issues, ` +
      `${((await store.sizeOnDisk()) / 1e6).toFixed(1)} MB on disk`,
  );

  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    const reader = await new FolderIndexStore(join(root, 'index')).open();
    const d = process.cpuUsage(c);
    console.log(
      `open: ${(performance.now() - t).toFixed(0)} ms wall, ${((d.user + d.system) / 1000).toFixed(0)} ms CPU ` +
        `(${reader?.chunkCount} chunks)`,
    );
  }

  const noop = await runIndex({ store, embedder, paths: [corpus] });
  console.log(`no-op re-run: ${noop.summary.seconds.toFixed(2)} s, ${noop.summary.chunksEmbedded} chunks embedded`);

  await appendFile(join(corpus, 'tech', '001.txt'), '\n\nA late paragraph was added to this article.\n');
  const edit = await runIndex({ store, embedder, paths: [corpus] });
  console.log(
    `one article edited: ${edit.summary.seconds.toFixed(2)} s, ${edit.summary.chunksEmbedded} chunks embedded, ` +
      `updated ${edit.summary.updated}`,
  );
  console.log(`check: ${JSON.stringify(await store.check()).slice(0, 200)}`);
  await embedder.dispose();
} finally {
  await rm(root, { recursive: true, force: true });
}
