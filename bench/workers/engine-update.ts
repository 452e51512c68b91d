/**
 * Worker: an incremental update of one engine's index through its store, embedding excluded:
 * 1,000 chunks of new articles (texts of real sentences, vectors mixed from real ones, drawn
 * from the embedded source index with a fixed seed, so every engine writes the very same
 * upserts), then one removing 100 articles spread over the index. Each is a `commit`, then
 * the `open` of the state it committed (the two make `write`). Sizes on disk before and after.
 */
import type { ArticleUpsert, IndexUpdate } from '@newsrag/core';
import { SqliteIndexStore } from '@newsrag/core/internals';
import { PostgresIndexStore } from '@newsrag/core/postgres';
import { workerMain } from '../lib/child.js';
import { evenlySpaced, updateDigest } from '../lib/engine-compare.js';
import { syntheticArticles, syntheticSourceOf } from '../lib/synthetic.js';

export interface EngineUpdateParams {
  engine: 'sqlite' | 'postgres';
  /** The index updated: a folder or a `postgres://` URL. */
  location: string;
  /** The embedded (SQLite) index the update is drawn from; only read. */
  sourceIndexDir: string;
  /** Chunks of new articles (8 per article) and articles removed. */
  addChunks: number;
  removeArticles: number;
}

/** One `commit` and the `open` of the state it committed. */
export interface TimedWrite {
  commitMs: number;
  openMs: number;
  /** Chunks the index holds after it. */
  chunks: number;
}

export interface EngineUpdateResult {
  engine: string;
  /** sha256 of the upserts and removals: equal on every engine. */
  digest: string;
  addedArticles: number;
  addedChunks: number;
  removedArticles: number;
  removedChunks: number;
  add: TimedWrite;
  remove: TimedWrite;
  bytesOnDisk: { before: number; after: number };
}

/** The new articles (ids under `added/`) and the removals, drawn from the source. */
async function updateOf(
  p: EngineUpdateParams,
): Promise<{ add: IndexUpdate; remove: IndexUpdate; chunksBefore: number; removedChunks: number; digest: string }> {
  const source = await new SqliteIndexStore(p.sourceIndexDir).open();
  if (!source) throw new Error(`no index in ${p.sourceIndexDir}`);
  try {
    const m = source.manifest;
    const upserts: ArticleUpsert[] = [...syntheticArticles(syntheticSourceOf(source), p.addChunks, 8, 99)].map((u) => {
      const id = u.record.id.replace('synthetic/', 'added/');
      return {
        record: { ...u.record, id },
        chunks: u.chunks.map((c) => ({ ...c, id: c.id.replace('synthetic/', 'added/'), articleId: id })),
        vectors: u.vectors,
      };
    });
    const ids = source
      .articles()
      .map((a) => a.id)
      .sort();
    const victims = evenlySpaced(ids, p.removeArticles);
    const removedChunks = victims.reduce((n, id) => n + (source.article(id)?.chunkCount ?? 0), 0);
    const base = { fingerprint: m.fingerprint, fingerprintId: m.fingerprintId, dimensions: m.dimensions };
    return {
      add: { ...base, upserts, removals: [] },
      remove: { ...base, upserts: [], removals: victims },
      chunksBefore: source.chunkCount,
      removedChunks,
      digest: updateDigest(upserts, victims),
    };
  } finally {
    source.close?.();
  }
}

async function timedWrite(
  store: SqliteIndexStore | PostgresIndexStore,
  update: IndexUpdate,
  expectChunks: number,
): Promise<TimedWrite> {
  const t0 = performance.now();
  await store.commit(update);
  const commitMs = performance.now() - t0;
  const t1 = performance.now();
  const reader = await store.open();
  const openMs = performance.now() - t1;
  if (!reader) throw new Error(`${store.location} holds no index after a write`);
  const chunks = reader.chunkCount;
  reader.close?.();
  if (chunks !== expectChunks) {
    throw new Error(`${store.location}: ${chunks} chunks after a write, expected ${expectChunks}`);
  }
  return { commitMs, openMs, chunks };
}

workerMain<EngineUpdateParams, EngineUpdateResult>(async (p) => {
  const u = await updateOf(p);
  const store = p.engine === 'sqlite' ? new SqliteIndexStore(p.location) : new PostgresIndexStore(p.location);
  try {
    const current = await store.open();
    const held = current?.chunkCount;
    current?.close?.();
    // The update's expected counts assume the index is the source's copy, untouched.
    if (held !== u.chunksBefore)
      throw new Error(`${store.location} holds ${held} chunks, not the source's ${u.chunksBefore}`);
    const before = await store.sizeOnDisk();
    const add = await timedWrite(store, u.add, u.chunksBefore + p.addChunks);
    const remove = await timedWrite(store, u.remove, u.chunksBefore + p.addChunks - u.removedChunks);
    const after = await store.sizeOnDisk();
    return {
      engine: p.engine,
      digest: u.digest,
      addedArticles: u.add.upserts.length,
      addedChunks: p.addChunks,
      removedArticles: u.remove.removals.length,
      removedChunks: u.removedChunks,
      add,
      remove,
      bytesOnDisk: { before, after },
    };
  } finally {
    if (store instanceof PostgresIndexStore) await store.close();
  }
});
