/**
 * The streamed paths that let an index pass V8's ~512 MB string limit: `chunks.jsonl` and
 * the line-delimited `bm25.json` are written in batches and read from Buffers. A batch size
 * of 3 makes a handful of chunks cross many batch edges.
 */
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NewsragError } from '../errors.js';
import { writeLinesSynced } from './atomic.js';
import { buildBm25, loadBm25, serialiseBm25 } from './bm25.js';
import type { ArticleUpsert } from './contract.js';
import { FolderIndexStore } from './folder-store.js';
import { parseChunks } from './manifest.js';
import type { FolderIndexReader } from './reader.js';

const D = 8;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsrag-chunked-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function corpus(seed: number, n: number): ArticleUpsert[] {
  const rng = prng(seed);
  return Array.from({ length: n }, (_, i) =>
    syntheticArticle(rng, `a${i}`, { chunks: 3 + (i % 3), dimensions: D, title: `Title ${i} café` }),
  );
}

async function openError(store: FolderIndexStore): Promise<NewsragError> {
  try {
    await store.open();
  } catch (error) {
    if (error instanceof NewsragError) return error;
    throw error;
  }
  throw new Error('the index opened, expected an error');
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('chunked index files', () => {
  it('writes and reopens an index in batches of 3 lines, equal to the in-memory result, across an update', async () => {
    const store = new FolderIndexStore(dir, { batchLines: 3 });
    const upserts = corpus(7, 6);
    const written = await store.write(syntheticUpdate(D, upserts));
    const gen = join(dir, 'gen-000001');
    const chunkText = await readFile(join(gen, 'chunks.jsonl'), 'utf8');
    expect(lines(chunkText)).toHaveLength(written.chunkCount);
    expect(written.chunkCount).toBeGreaterThan(9);
    // Several document-id lines of at most 3 entries each: the BM25 file really was cut up.
    const bm25Lines = lines(await readFile(join(gen, 'bm25.json'), 'utf8')).map((l) => JSON.parse(l) as unknown);
    const idLines = bm25Lines.filter((l) => Array.isArray(l) && l[0] === 'documentIds') as [string, object][];
    expect(idLines.length).toBe(Math.ceil(written.chunkCount / 3));
    expect(idLines.every(([, ids]) => Object.keys(ids).length <= 3)).toBe(true);

    // open() is typed as the IndexReader contract; this store returns its FolderIndexReader.
    const reader = (await store.open()) as FolderIndexReader | null;
    if (!reader) throw new Error('no index after write');
    for (let row = 0; row < written.chunkCount; row++) expect(reader.chunk(row)).toEqual(written.chunk(row));
    const fresh = buildBm25(
      upserts.flatMap((u) => u.chunks),
      (id) => upserts.find((u) => u.record.id === id)?.record.meta.title,
    );
    for (const q of ['café', 'title', upserts[2]?.chunks[0]?.text ?? '']) {
      expect(reader.bm25Index().search(q)).toEqual(fresh.search(q));
    }

    // An incremental write goes through the same paths from a loaded index.
    const rng = prng(8);
    const changed = [0, 1].map((i) => syntheticArticle(rng, `b${i}`, { chunks: 4, dimensions: D, title: `New ${i}` }));
    const next = await store.write({ ...syntheticUpdate(D, changed), removals: ['a1'] });
    const reopened = await store.open();
    expect(reopened?.chunkCount).toBe(next.chunkCount);
    expect(await store.check()).toMatchObject({ ok: true, chunkCount: next.chunkCount });
  });

  it('serialises exactly what MiniSearch.toJSON() holds, including discarded documents', () => {
    const upserts = corpus(3, 4);
    const chunks = upserts.flatMap((u) => u.chunks);
    const index = buildBm25(chunks, () => 'A title');
    index.discard(chunks[0]?.id ?? '');
    expect(index.dirtCount).toBe(1);
    for (const batch of [1, 2, 10_000]) {
      const text = [...serialiseBm25(index, batch)].join('');
      const { index: terms, ...rest } = loadBm25(Buffer.from(text)).toJSON();
      const { index: expectedTerms, ...expectedRest } = index.toJSON();
      expect(rest).toEqual(expectedRest);
      // The radix tree's iteration order depends on insertion order; the postings must match.
      expect(Object.fromEntries(terms)).toEqual(Object.fromEntries(expectedTerms));
      expect(terms).toHaveLength(expectedTerms.length);
    }
  });

  it('a BM25 file cut inside a line or at a line boundary → INDEX_CORRUPT naming it', async () => {
    const store = new FolderIndexStore(dir, { batchLines: 3 });
    await store.write(syntheticUpdate(D, corpus(9, 3)));
    const file = join(dir, 'gen-000001', 'bm25.json');
    const full = await readFile(file, 'utf8');

    await truncate(file, full.length - 5);
    let err = await openError(store);
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(file);
    expect(err.message).toContain('truncated');
    expect(err.message).toContain('newsrag index --rebuild');

    const kept = full.split('\n').slice(0, -3).join('\n');
    await writeFile(file, `${kept}\n`);
    err = await openError(store);
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/has \d+ index entries, its header says \d+/);
  });

  it('a BM25 file in the earlier single-JSON format → INDEX_CORRUPT saying to rebuild', async () => {
    const store = new FolderIndexStore(dir);
    const upserts = corpus(4, 2);
    await store.write(syntheticUpdate(D, upserts));
    const file = join(dir, 'gen-000001', 'bm25.json');
    await writeFile(
      file,
      `${JSON.stringify(
        buildBm25(
          upserts.flatMap((u) => u.chunks),
          () => '',
        ),
      )}\n`,
    );
    const err = await openError(store);
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(file);
    expect(err.message).toContain('older newsrag');
    expect(err.message).toContain('newsrag index --rebuild');
  });

  it('writeLinesSynced writes the same bytes whatever the batch size, and refuses a batch size of 0', async () => {
    const input = Array.from({ length: 10 }, (_, i) => `{"n":${i},"s":"é😀"}\n`);
    for (const batch of [1, 3, 10, 100]) {
      const file = join(dir, `lines-${batch}`);
      await writeLinesSynced(file, input, batch);
      expect(await readFile(file, 'utf8')).toBe(input.join(''));
    }
    await expect(writeLinesSynced(join(dir, 'zero'), input, 0)).rejects.toThrow(/batchLines/);
  });

  it('parseChunks reads multi-byte UTF-8 lines from a Buffer and still catches a cut-off last line', () => {
    const chunk = { id: 'a#0', articleId: 'a', ordinal: 0, start: 0, end: 4, text: 'Zoë 😀 naïve', tokens: 3 };
    const two = `${JSON.stringify(chunk)}\n${JSON.stringify({ ...chunk, id: 'a#1', ordinal: 1 })}\n`;
    expect(parseChunks(Buffer.from(two), 2, 'c.jsonl', 'idx').map((c) => c.text)).toEqual([chunk.text, chunk.text]);
    expect(() => parseChunks(Buffer.from(two.slice(0, -2)), 2, 'c.jsonl', 'idx')).toThrow(/c\.jsonl.*truncated/);
    expect(() => parseChunks(Buffer.from(two), 3, 'c.jsonl', 'idx')).toThrow(/has 2 lines, the manifest says 3/);
  });
});
