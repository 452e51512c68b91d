/**
 * The store conformance suite's reads, the same for every engine. A synchronous reader (the
 * folder and SQLite engines') is read directly, row by row and search by search. A server
 * engine's reader (Postgres) cannot be: each search goes through `prepare()` with that
 * search's query, `k` and filter, so it really runs on the server, and the stored chunks and
 * vectors come through `articleContents()`. Hits are chunks, not rows: a server reader's rows
 * are the slice's own.
 */

import type { Chunk, IndexReader, ReadPlan, SearchFilter } from '@newsrag/core';
import { articleContents } from '@newsrag/core/internals';
import { expect } from 'vitest';

/** A search hit, by chunk. */
export interface Hit {
  chunk: Chunk;
  score: number;
}

/** A stored chunk with its stored vector. */
export interface StoredChunk {
  chunk: Chunk;
  vector: Float32Array;
}

type Prepared = IndexReader & { prepare(plan: ReadPlan): Promise<IndexReader> };

function isServer(reader: IndexReader): reader is Prepared {
  return typeof reader.prepare === 'function';
}

/**
 * `reader.prepare(plan)`, holding the slice to what `prepare` promises: each article it
 * holds is whole (the record's chunk count of rows), contiguous and in chunk order.
 */
async function slice(reader: Prepared, plan: Omit<ReadPlan, 'words'> & { words?: string[] }): Promise<IndexReader> {
  const s = await reader.prepare({ ...plan, words: plan.words ?? [] });
  const rows = s.articleRows?.();
  expect(rows, 'a prepared slice names the rows of its articles').toBeDefined();
  for (const [id, own] of rows ?? []) {
    expect(own.length, `slice rows of ${id}`).toBe(reader.article(id)?.chunkCount);
    own.forEach((row, i) => {
      expect(row, `slice rows of ${id} are contiguous`).toBe((own[0] as number) + i);
      expect(s.chunk(row)).toMatchObject({ articleId: id, ordinal: i });
    });
  }
  return s;
}

/** Dense top-k: the reader's own search, or the server's through `prepare`. */
export async function dense(
  reader: IndexReader,
  query: Float32Array,
  k: number,
  filter?: SearchFilter,
): Promise<Hit[]> {
  if (!isServer(reader))
    return reader.denseSearch(query, k, filter).map((h) => ({ chunk: reader.chunk(h.row), score: h.score }));
  const s = await slice(reader, { queryVector: query, lexicalQuery: null, k, ...(filter ? { filter } : {}) });
  return s.denseSearch(query, k).map((h) => ({ chunk: s.chunk(h.row), score: h.score }));
}

/** Lexical top-k: the reader's own search, or the server's through `prepare`. */
export async function lexical(reader: IndexReader, query: string, k: number, filter?: SearchFilter): Promise<Hit[]> {
  if (!isServer(reader))
    return reader.lexicalSearch(query, k, filter).map((h) => ({ chunk: reader.chunk(h.row), score: h.score }));
  const s = await slice(reader, { queryVector: null, lexicalQuery: query, k, ...(filter ? { filter } : {}) });
  return s.lexicalSearch(query, k).map((h) => ({ chunk: s.chunk(h.row), score: h.score }));
}

/** The document frequency of `word`, or undefined for a synchronous reader that does not offer it. */
export async function documentFrequency(reader: IndexReader, word: string): Promise<number | undefined> {
  if (!isServer(reader)) return reader.documentFrequency?.(word);
  const s = await slice(reader, { queryVector: null, lexicalQuery: null, k: 0, words: [word] });
  return s.documentFrequency?.(word);
}

/** Every stored chunk with its vector: by row, or article by article through `articleContents`. */
export async function allChunks(reader: IndexReader): Promise<StoredChunk[]> {
  if (!isServer(reader)) {
    return Array.from({ length: reader.chunkCount }, (_, row) => ({
      chunk: reader.chunk(row),
      vector: reader.vector(row),
    }));
  }
  const d = reader.manifest.dimensions;
  const contents = await articleContents(
    reader,
    reader.articles().map((a) => a.id),
  );
  return contents.flatMap((u) =>
    u.chunks.map((chunk, i) => ({ chunk, vector: u.vectors.subarray(i * d, (i + 1) * d) })),
  );
}

/**
 * The chunks of every row in row order: the reader's own rows, or those of a slice cut by a
 * dense search of k = all chunks (which hits every chunk, so the slice holds every article).
 */
export async function rowChunks(reader: IndexReader): Promise<Chunk[]> {
  if (!isServer(reader)) return Array.from({ length: reader.chunkCount }, (_, row) => reader.chunk(row));
  const d = reader.manifest.dimensions;
  const probe = new Float32Array(d).fill(1 / Math.sqrt(d));
  const s = await slice(reader, { queryVector: probe, lexicalQuery: null, k: reader.chunkCount });
  const held = [...(s.articleRows?.().values() ?? [])].reduce((n, rows) => n + rows.length, 0);
  expect(held, 'a slice cut by a search hitting every chunk holds every row').toBe(reader.chunkCount);
  return Array.from({ length: held }, (_, row) => s.chunk(row));
}
