/**
 * Store benchmark: dense top-k latency at 25k and 100k rows × 384 dimensions, and
 * write/load time of a BBC-sized index (real BBC article text split by paragraph,
 * random unit vectors; no model needed). Prints numbers; asserts nothing.
 *
 *   npx tsx packages/core/bench/search.ts [--bbc shared/corpora/bbc]
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BBC_CORPUS, prng, randomUnitVectors } from '@newsrag/test-support';
import { syntheticFingerprint, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import { buildBm25, loadBm25 } from '../src/store/bm25.js';
import { FolderIndexStore } from '../src/store/folder-store.js';
import { generationFiles } from '../src/store/layout.js';
import { parseArticles, parseChunks, parseManifest } from '../src/store/manifest.js';
import { FolderIndexReader } from '../src/store/reader.js';
import { readVectors } from '../src/store/vectors.js';
import type { ArticleUpsert, Chunk } from '../src/types.js';

const D = 384;

/** CPU milliseconds (user + system) this process spent in `f`; on a shared, busy machine a fairer number than wall time. */
function cpuMs(f: () => void): number {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function denseBench(rows: number): void {
  const rng = prng(rows);
  const vectors = randomUnitVectors(rng, rows, D);
  const articles = Array.from({ length: Math.ceil(rows / 10) }, (_, i) => ({
    id: `a${i}`,
    path: `/a${i}`,
    hash: 'h',
    meta: { source: i % 3 === 0 ? 'bbc' : 'ap', date: `2024-0${1 + (i % 9)}-15` },
    length: 10_000,
    chunkCount: Math.min(10, rows - i * 10),
  }));
  const chunks: Chunk[] = Array.from({ length: rows }, (_, r) => ({
    id: `a${Math.floor(r / 10)}#${r % 10}`,
    articleId: `a${Math.floor(r / 10)}`,
    ordinal: r % 10,
    start: 0,
    end: 1,
    text: 'x',
    tokens: 1,
  }));
  const fp = syntheticFingerprint(D);
  const manifest = {
    schemaVersion: 1,
    fingerprint: fp,
    fingerprintId: 'bench',
    dimensions: D,
    articleCount: articles.length,
    chunkCount: rows,
    createdAt: '',
    updatedAt: '',
    generation: 1,
  };
  const reader = new FolderIndexReader(
    { manifest, articles, chunks, vectors, bm25: buildBm25([], () => undefined) },
    'bench',
  );
  const queries = randomUnitVectors(rng, 60, D);
  const time = (filter?: Parameters<FolderIndexReader['denseSearch']>[2]) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 60; i++) {
      const q = queries.subarray(i * D, (i + 1) * D);
      const t = performance.now();
      cpu.push(cpuMs(() => reader.denseSearch(q, 50, filter)));
      wall.push(performance.now() - t);
    }
    // The first runs include JIT warm-up.
    return { wall: wall.slice(10), cpu: cpu.slice(10) };
  };
  const plain = time();
  const filtered = time({ sources: ['bbc'], dateFrom: '2024-03-01' });
  console.log(
    `dense top-50 ${rows} × ${D}: median ${median(plain.wall).toFixed(2)} ms wall / ${median(plain.cpu).toFixed(2)} ms CPU, ` +
      `min ${Math.min(...plain.wall).toFixed(2)} ms wall; filtered (source+date) median ${median(filtered.wall).toFixed(2)} ms wall`,
  );
}

async function bbcBench(root: string): Promise<void> {
  const rng = prng(7);
  const upserts: ArticleUpsert[] = [];
  for (const topic of (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory())) {
    for (const name of (await readdir(join(root, topic.name))).filter((n) => n.endsWith('.txt')).sort()) {
      const text = await readFile(join(root, topic.name, name), 'utf8');
      const id = `${topic.name}/${name.replace(/\.txt$/, '')}`;
      const title = text.split('\n', 1)[0] ?? '';
      // Two-sentence chunks: ~25k for the corpus, the size the brief's load target is set for.
      const chunks: Chunk[] = [];
      const re = /[^\n.!?]+[.!?]*(?:\s+[^\n.!?]+[.!?]*)?/g;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0].trim() === '') continue;
        chunks.push({
          id: `${id}#${chunks.length}`,
          articleId: id,
          ordinal: chunks.length,
          start: m.index,
          end: m.index + m[0].length,
          text: m[0],
          tokens: 0,
        });
      }
      upserts.push({
        record: {
          id,
          path: join(root, topic.name, name),
          hash: id,
          meta: { title, source: 'bbc' },
          length: text.length,
          chunkCount: chunks.length,
        },
        chunks,
        vectors: randomUnitVectors(rng, chunks.length, D),
      });
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'newsrag-bench-'));
  try {
    const store = new FolderIndexStore(dir);
    let t = performance.now();
    const written = await store.write(syntheticUpdate(D, upserts));
    const writeMs = performance.now() - t;
    const size = await store.sizeOnDisk();
    const loads: number[] = [];
    const loadCpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      const c = process.cpuUsage();
      await new FolderIndexStore(dir).open();
      const d = process.cpuUsage(c);
      loads.push(performance.now() - t);
      loadCpu.push((d.user + d.system) / 1000);
    }
    // Where open() spends its time.
    const files = generationFiles(written.generationDir);
    const phase = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
      const t0 = performance.now();
      const v = await f();
      return [v, performance.now() - t0];
    };
    const [manifest, manifestMs] = await phase(async () =>
      parseManifest(await readFile(files.manifest, 'utf8'), 'm', dir),
    );
    const [, articlesMs] = await phase(async () => parseArticles(await readFile(files.articles, 'utf8'), 'a', dir));
    const [chunksText, chunksReadMs] = await phase(() => readFile(files.chunks, 'utf8'));
    const [, chunksParseMs] = await phase(() => parseChunks(chunksText, manifest.chunkCount, 'c', dir));
    const [, vectorsMs] = await phase(() => readVectors(files.vectors, manifest.chunkCount, D, dir));
    const [bm25Text, bm25ReadMs] = await phase(() => readFile(files.bm25, 'utf8'));
    const [, bm25LoadMs] = await phase(() => loadBm25(bm25Text));
    const breakdown =
      `manifest ${manifestMs.toFixed(0)}, articles ${articlesMs.toFixed(0)}, chunks read ${chunksReadMs.toFixed(0)} + parse ${chunksParseMs.toFixed(0)}, ` +
      `vectors ${vectorsMs.toFixed(0)}, bm25.json read ${bm25ReadMs.toFixed(0)} + MiniSearch.loadJSON ${bm25LoadMs.toFixed(0)} ms`;
    t = performance.now();
    const bumped = upserts[0] as ArticleUpsert;
    await store.write(syntheticUpdate(D, [{ ...bumped, record: { ...bumped.record, hash: 'changed' } }]));
    const incrementalMs = performance.now() - t;
    t = performance.now();
    const report = await store.check();
    const checkMs = performance.now() - t;
    const reader = (await store.open()) as FolderIndexReader;
    const lex: number[] = [];
    for (const q of [
      'economy growth bank',
      'film award ceremony',
      'broadband internet users',
      'election labour tories',
      'chelsea arsenal goal',
    ]) {
      t = performance.now();
      reader.lexicalSearch(q, 50);
      lex.push(performance.now() - t);
    }
    console.log(
      `BBC-sized index: ${written.articleCount} articles, ${written.chunkCount} chunks × ${D}, ${(size / 1e6).toFixed(1)} MB on disk\n` +
        `  full write (BM25 build + files + fsync): ${writeMs.toFixed(0)} ms\n` +
        `  open (load + validate): ${loads.map((x) => x.toFixed(0)).join(' / ')} ms wall, ${loadCpu.map((x) => x.toFixed(0)).join(' / ')} ms CPU\n` +
        `    of which: ${breakdown}\n` +
        `  incremental write (1 article changed, rest copied): ${incrementalMs.toFixed(0)} ms\n` +
        `  check(): ${checkMs.toFixed(0)} ms, ok=${report.ok}\n` +
        `  lexical top-50: median ${median(lex).toFixed(2)} ms over ${lex.length} queries`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const bbcArg = process.argv.indexOf('--bbc');
const bbc = bbcArg > 0 ? process.argv[bbcArg + 1] : BBC_CORPUS;
console.log(
  `load average at start: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${cpus().length} cores`,
);
denseBench(25_000);
denseBench(100_000);
if (bbc) await bbcBench(bbc);
