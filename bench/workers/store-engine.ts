/**
 * Worker: one index engine at one scale, in its own process (so RSS is its own). Builds
 * the index (a copy of the real BBC + seeds index, or `chunks` synthetic chunks drawn from
 * it; either engine's source), then measures: opening it (`store.open()`), warm `kb.answer()` p50/p95 with the real
 * query embedding included, RSS after open + the queries, adding 1,000 chunks of new
 * articles (vectors given: embedding excluded) and removing 100 articles (each one
 * `store.write`, its returned snapshot included), and the bytes on disk.
 */
import { readFile, rm } from 'node:fs/promises';
import {
  type ArticleUpsert,
  FolderIndexStore,
  type IndexReader,
  type IndexStore,
  type IndexUpdate,
  openKnowledgeBase,
} from '@newsrag/core';
import { openIndexStore, SqliteIndexStore } from '@newsrag/core/internals';
import { workerMain } from '../lib/child.js';
import { type Percentiles, percentiles } from '../lib/stats.js';
import { type SyntheticSource, syntheticArticles, syntheticSourceOf } from '../lib/synthetic.js';

export interface StoreEngineParams {
  engine: 'folder' | 'sqlite';
  sourceIndexDir: string;
  targetDir: string;
  /** null: the source index itself (BBC scale); else this many synthetic chunks. */
  chunks: number | null;
  queriesFile: string;
  queries: number;
  warmup: number;
  /** The model the source index was built with (its query embedding is measured with `answer()`). */
  model: string;
  dtype: 'fp32' | 'q8';
}

export interface StoreEngineResult {
  engine: string;
  chunks: number;
  buildMs: number;
  openMs: number;
  answer: Percentiles;
  rssAfterQueriesBytes: number;
  addMs: number;
  removeMs: number;
  bytesOnDisk: number;
}

async function sourceOf(dir: string): Promise<{ reader: IndexReader; from: SyntheticSource }> {
  const reader = await (await openIndexStore(dir, { engine: 'auto' })).open();
  if (!reader) throw new Error(`no source index in ${dir}`);
  return { reader, from: syntheticSourceOf(reader) };
}

/** Every article of `reader` as an upsert (rows are laid out article after article in both engines). */
function* upsertsOf(reader: IndexReader): Generator<ArticleUpsert> {
  const d = reader.manifest.dimensions;
  let row = 0;
  for (const record of reader.articles()) {
    const chunks = [];
    const vectors = new Float32Array(record.chunkCount * d);
    for (let i = 0; i < record.chunkCount; i++, row++) {
      chunks.push(reader.chunk(row));
      vectors.set(reader.vector(row), i * d);
    }
    yield { record, chunks, vectors };
  }
}

function makeStore(engine: string, dir: string): IndexStore {
  return engine === 'sqlite' ? new SqliteIndexStore(dir) : new FolderIndexStore(dir);
}

workerMain<StoreEngineParams, StoreEngineResult>(async (p) => {
  await rm(p.targetDir, { recursive: true, force: true });
  const { reader: source, from } = await sourceOf(p.sourceIndexDir);
  const update = (upserts: ArticleUpsert[], removals: string[] = []): IndexUpdate => ({
    fingerprint: source.manifest.fingerprint,
    fingerprintId: source.manifest.fingerprintId,
    dimensions: source.manifest.dimensions,
    upserts,
    removals,
  });
  const t0 = performance.now();
  const articles = p.chunks === null ? upsertsOf(source) : syntheticArticles(from, p.chunks, 8, 1);
  if (p.engine === 'folder') {
    // The folder store rewrites everything on each write: one write of the whole index.
    await new FolderIndexStore(p.targetDir).write(update([...articles]));
  } else {
    const store = new SqliteIndexStore(p.targetDir);
    let batch: ArticleUpsert[] = [];
    for (const u of articles) {
      batch.push(u);
      if (batch.length === 2_000) {
        await store.commit(update(batch));
        batch = [];
      }
    }
    if (batch.length > 0) await store.commit(update(batch));
  }
  const buildMs = performance.now() - t0;
  (globalThis as { gc?: () => void }).gc?.();

  const store = makeStore(p.engine, p.targetDir);
  const t1 = performance.now();
  const opened = await store.open();
  const openMs = performance.now() - t1;
  if (!opened) throw new Error('no index after the build');
  const chunks = opened.chunkCount;
  // Kept open until the writes below: a bot or `newsrag watch` holds its snapshot when it
  // writes, and the SQLite store then refreshes that snapshot instead of loading the index again.

  const queries = JSON.parse(await readFile(p.queriesFile, 'utf8')) as string[];
  const kb = await openKnowledgeBase({ indexDir: p.targetDir, engine: p.engine, model: p.model, dtype: p.dtype });
  const times: number[] = [];
  let rssAfterQueriesBytes = 0;
  try {
    for (let i = 0; i < p.warmup + p.queries; i++) {
      const q = queries[i % queries.length] as string;
      const s = performance.now();
      await kb.answer(q);
      if (i >= p.warmup) times.push(performance.now() - s);
    }
    rssAfterQueriesBytes = process.memoryUsage().rss;
  } finally {
    await kb.close();
  }

  // 1,000 chunks of new articles (ids of their own), then 100 of the original articles removed.
  const fresh = [...syntheticArticles(from, 1_000, 8, 99)].map((u) => {
    const id = u.record.id.replace('synthetic/', 'added/');
    return {
      record: { ...u.record, id },
      chunks: u.chunks.map((c) => ({ ...c, id: c.id.replace('synthetic/', 'added/'), articleId: id })),
      vectors: u.vectors,
    };
  });
  const t2 = performance.now();
  const afterAdd = await store.write(update(fresh));
  const addMs = performance.now() - t2;
  opened.close?.();
  const victims = afterAdd
    .articles()
    .filter((a) => !a.id.startsWith('added/'))
    .slice(0, 100)
    .map((a) => a.id);
  // Held across the removal as `opened` was across the add: a process that keeps writing
  // keeps its latest snapshot (closing it first would time a whole open, measured above).
  const t3 = performance.now();
  const afterRemove = await store.write(update([], victims));
  const removeMs = performance.now() - t3;
  afterAdd.close?.();
  afterRemove.close?.();
  const bytesOnDisk = await store.sizeOnDisk();
  source.close?.();
  return {
    engine: p.engine,
    chunks,
    buildMs,
    openMs,
    answer: percentiles(times),
    rssAfterQueriesBytes,
    addMs,
    removeMs,
    bytesOnDisk,
  };
});
