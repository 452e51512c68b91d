/**
 * The index store conformance suite: what every engine must do (see
 * packages/core/src/store/contract.ts). `describeIndexStoreConformance(engine)` registers the
 * tests for one engine from `engines.ts`; each engine has a `<name>.conformance.test.ts`.
 * Engine-agnostic on purpose: it uses only the `IndexStore`/`IndexReader` contract, the
 * engine's own places, damage scenarios and kill points, and child processes that write
 * through the engine by name. Its reads go through `read.ts`, which reads a synchronous
 * reader directly and a server engine's through `prepare()`, so one set of assertions holds
 * for both.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArticleUpsert, Chunk, IndexReader, IndexStore } from '@newsrag/core';
import {
  articleSignature,
  KILL_POINT_ENV,
  KILL_POINT_MARKER,
  PAUSE_POINT_ENV,
  PAUSE_POINT_MARKER,
} from '@newsrag/core/internals';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineUnderTest, Places } from './engines.js';
import { article, articleUpdate, DIMENSIONS, rareWord } from './fixtures.js';
import { allChunks, dense, documentFrequency, lexical, rowChunks } from './read.js';
import { startWriter, waitFor } from './writer-process.js';

const WORKER = fileURLToPath(new URL('./write-worker.ts', import.meta.url));
const BASE = ['a/one', 'a/two', 'b/three', 'b/four', 'c/five'];

/** Everything a reader answers, as text: its articles, every chunk, and fixed searches. */
async function describeState(reader: IndexReader): Promise<string> {
  const out: string[] = [`articles ${reader.articleCount} chunks ${reader.chunkCount}`];
  const records = reader.articles().sort((x, y) => x.id.localeCompare(y.id));
  for (const a of records) out.push(`article ${a.id} ${JSON.stringify(a)}`);
  const chunks = (await allChunks(reader)).map(
    ({ chunk: c, vector }) =>
      `${c.id} ${c.start}-${c.end} ${c.text} ${Array.from(vector.subarray(0, 3), (v) => v.toFixed(5))}`,
  );
  out.push(...chunks.sort());
  for (const { id } of records) {
    const hits = (await lexical(reader, rareWord(id), 3)).map((h) => h.chunk.id);
    out.push(`lex ${id}: ${hits.join(',')}`);
  }
  const query = article('query-probe').vectors.subarray(0, DIMENSIONS);
  const nearest = await dense(reader, query, 5);
  out.push(`dense: ${nearest.map((h) => `${h.chunk.id}:${h.score.toFixed(5)}`).join(',')}`);
  return out.join('\n');
}

/** Every stored chunk with its vector, by chunk id. */
async function chunksById(reader: IndexReader): Promise<Map<string, { chunk: Chunk; vector: Float32Array }>> {
  return new Map((await allChunks(reader)).map((c) => [c.chunk.id, c]));
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error & { code?: string },
  );
  expect(error, `expected ${code}`).not.toBeNull();
  expect((error as { code?: string }).code, (error as Error).message).toBe(code);
  return error as Error;
}

/** Registers the conformance tests for `engine`. */
export function describeIndexStoreConformance(engine: EngineUnderTest): void {
  describe(`IndexStore conformance: ${engine.name}`, () => {
    let places: Places;
    /** Release files of the pause point (a writer held inside its write). */
    let scratch: string;
    let n = 0;
    const readers: IndexReader[] = [];
    let stores: IndexStore[] = [];
    /** A fresh, empty index location. */
    const fresh = () => places.fresh();
    const track = <R extends IndexReader | null>(r: R): R => {
      if (r) readers.push(r);
      return r;
    };
    /** The engine's store at `location`, released after the test (a server engine's pool). */
    const make: EngineUnderTest['make'] = (location, options) => {
      const store = engine.make(location, options);
      stores.push(store);
      return store;
    };
    const closeReaders = () => {
      for (const r of readers.splice(0)) r.close?.();
    };
    const openFresh = async (location: string): Promise<IndexReader> => {
      const r = track(await make(location).open());
      if (!r) throw new Error(`no index at ${location}`);
      return r;
    };
    /** An open that must fail with `code`; a reader it returns anyway is closed after the test. */
    const openFailing = (location: string, code: string, options?: { expectFingerprintId?: string }) =>
      expectCode(
        make(location, options)
          .open()
          .then((r) => track(r)),
        code,
      );
    const withBase = async (): Promise<{ location: string; store: IndexStore }> => {
      const location = fresh();
      const store = make(location);
      track(await store.write(articleUpdate(BASE)));
      return { location, store };
    };

    beforeAll(async () => {
      places = await engine.places();
      scratch = await mkdtemp(join(tmpdir(), `newsrag-conformance-${engine.name}-`));
    });
    afterEach(async () => {
      // Readers first: a server store's close waits for the connections its readers hold.
      closeReaders();
      const open = stores;
      stores = [];
      for (const s of open) await s.close?.();
    });
    afterAll(async () => {
      await places?.dispose();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    it('has no index before the first write', async () => {
      expect(await make(fresh()).open()).toBeNull();
    });

    it('round-trips articles, chunks, vectors, the fingerprint and both searches', async () => {
      const { location } = await withBase();
      const reader = await openFresh(location);
      const upserts = BASE.map((id) => article(id));
      expect(reader.articleCount).toBe(BASE.length);
      expect(reader.chunkCount).toBe(upserts.reduce((s, u) => s + u.chunks.length, 0));
      expect(reader.manifest).toMatchObject({ fingerprintId: 'synthetic-fp', dimensions: DIMENSIONS, articleCount: 5 });
      expect(reader.manifest.fingerprint.modelId).toBe('test/synthetic');
      const stored = await chunksById(reader);
      expect(stored.size).toBe(reader.chunkCount);
      for (const u of upserts) {
        expect(reader.article(u.record.id)).toEqual(u.record);
        u.chunks.forEach((c, i) => {
          expect(stored.get(c.id)?.chunk).toEqual(c);
          expect(Array.from(stored.get(c.id)?.vector ?? [])).toEqual(
            Array.from(u.vectors.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS)),
          );
        });
        // Its own vector is its nearest neighbour; its rare word finds its first chunk, only it.
        const top = (await dense(reader, u.vectors.subarray(0, DIMENSIONS), 1))[0];
        expect(top?.chunk.id).toBe(u.chunks[0]?.id);
        expect(top?.score).toBeCloseTo(1, 5);
        const hits = await lexical(reader, rareWord(u.record.id), 10);
        expect(hits.map((h) => h.chunk.id)).toEqual([u.chunks[0]?.id]);
        expect(hits[0]?.score).toBeGreaterThan(0);
        const df = await documentFrequency(reader, rareWord(u.record.id));
        if (df !== undefined) expect(df).toBe(1);
      }
      // Rows of one article are contiguous and in chunk order.
      const rows = await rowChunks(reader);
      for (let row = 1; row < rows.length; row++) {
        const [prev, cur] = [rows[row - 1] as Chunk, rows[row] as Chunk];
        if (prev.articleId === cur.articleId) expect(cur.ordinal).toBe(prev.ordinal + 1);
        else expect(cur.ordinal).toBe(0);
      }
      // Filters restrict both searches.
      const only = ['b/three'];
      const q = article('a/one').vectors.subarray(0, DIMENSIONS);
      const filtered = await dense(reader, q, 50, { articleIds: only });
      expect(filtered.length).toBe(article('b/three').chunks.length);
      expect(new Set(filtered.map((h) => h.chunk.articleId))).toEqual(new Set(only));
      expect(await lexical(reader, rareWord('a/one'), 10, { articleIds: only })).toEqual([]);
      const bbc = await lexical(reader, 'government economy market', 100, { sources: ['bbc'] });
      expect(bbc.length).toBeGreaterThan(0);
      for (const h of bbc) expect(reader.article(h.chunk.articleId)?.meta.source).toBe('bbc');
      expect(await lexical(reader, 'the of and', 10)).toEqual([]);
      expect((await make(location).check()).problems).toEqual([]);
    });

    it('applies incremental upserts: a changed article is replaced, a new one added, the rest untouched', async () => {
      const { location, store } = await withBase();
      const before = await openFresh(location);
      const changed = article('a/two', 1);
      const added = article('d/six');
      const next = track(await store.write({ ...articleUpdate([]), upserts: [changed, added] }));
      expect(next.manifest.generation).toBeGreaterThan(before.manifest.generation);
      const reader = await openFresh(location);
      expect(reader.articleCount).toBe(6);
      expect(reader.article('a/two')).toEqual(changed.record);
      expect(reader.chunkCount).toBe(
        before.chunkCount - article('a/two').chunks.length + changed.chunks.length + added.chunks.length,
      );
      const ids = async (query: string) => (await lexical(reader, query, 10)).map((h) => h.chunk.id);
      expect(await ids(rareWord('a/two'))).toEqual([]);
      expect(await ids(`${rareWord('a/two')}v1`)).toEqual(['a/two#0']);
      expect(await ids(rareWord('d/six'))).toEqual(['d/six#0']);
      const stored = await chunksById(reader);
      for (const id of ['a/one', 'b/three', 'b/four', 'c/five']) {
        const u = article(id);
        expect(Array.from(stored.get(`${id}#1`)?.vector ?? [])).toEqual(
          Array.from(u.vectors.subarray(DIMENSIONS, 2 * DIMENSIONS)),
        );
      }
      expect((await make(location).check()).problems).toEqual([]);
    });

    it('removes articles with their chunks, vectors and lexical entries; unknown ids are ignored', async () => {
      const { location, store } = await withBase();
      track(await store.write(articleUpdate([], ['a/one', 'c/five', 'never/indexed'])));
      const reader = await openFresh(location);
      expect(
        reader
          .articles()
          .map((a) => a.id)
          .sort(),
      ).toEqual(['a/two', 'b/four', 'b/three']);
      const stored = await allChunks(reader);
      expect(stored.length).toBe(reader.chunkCount);
      for (const { chunk } of stored) expect(['a/one', 'c/five']).not.toContain(chunk.articleId);
      expect(await lexical(reader, rareWord('a/one'), 10)).toEqual([]);
      const df = await documentFrequency(reader, rareWord('c/five'));
      if (df !== undefined) expect(df).toBe(0);
      const q = article('a/one').vectors.subarray(0, DIMENSIONS);
      for (const h of await dense(reader, q, 100)) expect(h.chunk.articleId).not.toBe('a/one');
      expect((await make(location).check()).problems).toEqual([]);
    });

    it('applies signature-only updates: records change, chunks, vectors and lexical entries stay', async () => {
      const { location, store } = await withBase();
      const before = await openFresh(location);
      const beforeState = await describeState(before);
      const withSig = { ...article('d/six').record, signature: articleSignature('six seven eight nine ten') };
      // An upsert carries its own signature through to the stored record.
      track(await store.write({ ...articleUpdate([]), upserts: [{ ...article('d/six'), record: withSig }] }));
      expect((await openFresh(location)).article('d/six')).toEqual(withSig);
      const signature = articleSignature('one two three four five six');
      track(
        await store.write({
          ...articleUpdate([], ['d/six']),
          signatures: [
            { id: 'a/one', signature },
            { id: 'never/indexed', signature },
          ],
        }),
      );
      const reader = await openFresh(location);
      expect(reader.manifest.generation).toBeGreaterThan(before.manifest.generation);
      expect(reader.article('a/one')).toEqual({ ...article('a/one').record, signature });
      expect(reader.article('never/indexed')).toBeUndefined();
      // Everything but that one record is as it was: chunks, vectors, both searches.
      const others = (state: string) =>
        state
          .split('\n')
          .filter((line) => !line.startsWith('article a/one '))
          .join('\n');
      expect(others(await describeState(reader))).toBe(others(beforeState));
      expect((await make(location).check()).problems).toEqual([]);
    });

    it('keeps an open reader on its snapshot while writes commit, and never blocks the writer', async () => {
      const { location, store } = await withBase();
      const old = await openFresh(location);
      const oldState = await describeState(old);
      track(await store.write(articleUpdate(['e/seven', 'f/eight'], ['b/three'])));
      track(await make(location).write({ ...articleUpdate([]), upserts: [article('a/one', 2)] }));
      expect(await describeState(old)).toBe(oldState);
      const now = await openFresh(location);
      expect(now.articleCount).toBe(6);
      expect(now.article('b/three')).toBeUndefined();
      expect(await describeState(now)).not.toBe(oldState);
      expect(old.article('b/three')).toBeDefined();
    });

    it('refuses another model’s vectors and an open expecting another model, unless replacing', async () => {
      const { location, store } = await withBase();
      const before = await describeState(await openFresh(location));
      const err = await expectCode(store.write(articleUpdate(['x/other'], [], 'other-fp')), 'INDEX_MODEL_MISMATCH');
      expect(err.message).toContain('test/synthetic');
      expect(await describeState(await openFresh(location))).toBe(before);
      await openFailing(location, 'INDEX_MODEL_MISMATCH', { expectFingerprintId: 'other-fp' });
      track(await store.write(articleUpdate(['x/other'], [], 'other-fp'), { replace: true }));
      const replaced = await openFresh(location);
      expect(replaced.manifest.fingerprintId).toBe('other-fp');
      expect(replaced.articles().map((a) => a.id)).toEqual(['x/other']);
      expect((await make(location).check()).problems).toEqual([]);
    });

    for (const damage of engine.damages) {
      const found = damage.detectedOnRead ? 'on reading the damaged rows' : 'on open';
      const rebuild = damage.rebuildRefused ? 'a rebuild is refused' : 'a rebuild recovers';
      it(`names what is damaged (INDEX_CORRUPT ${found}): ${damage.what}; ${rebuild}`, async () => {
        const { location } = await withBase();
        closeReaders();
        const file = await damage.apply(location);
        if (damage.detectedOnRead) {
          // The open succeeds, but no read that covers the damaged rows answers from them.
          const reader = await openFresh(location);
          expect((await expectCode(allChunks(reader), 'INDEX_CORRUPT')).message).toContain(file);
          expect((await expectCode(rowChunks(reader), 'INDEX_CORRUPT')).message).toContain(file);
        } else {
          expect((await openFailing(location, 'INDEX_CORRUPT')).message).toContain(file);
        }
        const report = await make(location).check();
        expect(report.ok).toBe(false);
        expect(report.problems.join('\n')).toContain(file);
        if (damage.rebuildRefused) {
          const err = await expectCode(
            make(location).write(articleUpdate(['a/one']), { replace: true }),
            'INDEX_CORRUPT',
          );
          expect(err.message).toContain(file);
          expect((await make(location).check()).problems.join('\n')).toContain(file);
          return;
        }
        track(await make(location).write(articleUpdate(['a/one']), { replace: true }));
        const reader = await openFresh(location);
        expect(reader.articles().map((a) => a.id)).toEqual(['a/one']);
        expect((await allChunks(reader)).map((c) => c.chunk.id)).toEqual(article('a/one').chunks.map((c) => c.id));
        expect((await make(location).check()).problems).toEqual([]);
      });
    }

    for (const { point, committed } of engine.killPoints) {
      it(`survives kill -9 at ${point} (${committed ? 'committed' : 'previous state kept'})`, async () => {
        const { location } = await withBase();
        const before = await describeState(await openFresh(location));
        const ids = ['k/one', 'k/two', 'k/three', 'k/four'];
        const child = startWriter(WORKER, [engine.name, location, ...ids], { [KILL_POINT_ENV]: point });
        await waitFor(child, `${KILL_POINT_MARKER} ${point}`);
        child.process.kill('SIGKILL');
        await child.exited;
        const reader = await openFresh(location);
        expect((await make(location).check()).problems).toEqual([]);
        if (committed) {
          for (const id of ids) expect(reader.article(id)).toEqual(article(id).record);
          expect(reader.articleCount).toBe(BASE.length + ids.length);
        } else {
          expect(await describeState(reader)).toBe(before);
        }
        // The dead writer does not block the next one.
        await engine.afterKill?.(location);
        track(await make(location).write(articleUpdate(['k/after'])));
        expect((await openFresh(location)).article('k/after')).toBeDefined();
        expect((await make(location).check()).problems).toEqual([]);
      });
    }

    it('lets one writer process write at a time: a second gets INDEX_LOCKED while the first holds the write', async () => {
      const { location } = await withBase();
      const release = join(scratch, `release-${++n}`);
      const first = startWriter(WORKER, [engine.name, location, 'w/first'], { [PAUSE_POINT_ENV]: `locked:${release}` });
      await waitFor(first, `${PAUSE_POINT_MARKER} locked`);
      const second = startWriter(WORKER, [engine.name, location, 'w/second']);
      expect(await second.exited, second.stderr()).toBe(3);
      expect(second.stderr()).toMatch(/being written/);
      await writeFile(release, '');
      expect(await first.exited, first.stderr()).toBe(0);
      const reader = await openFresh(location);
      expect(reader.article('w/first')).toBeDefined();
      expect(reader.article('w/second')).toBeUndefined();
    });

    it('keeps racing writer processes apart: each writes whole or is refused, nothing interleaves', async () => {
      const { location } = await withBase();
      const ids = [
        ['r/a1', 'r/a2'],
        ['r/b1', 'r/b2'],
        ['r/c1', 'r/c2'],
        ['r/d1', 'r/d2'],
      ];
      const children = ids.map((group) => startWriter(WORKER, [engine.name, location, ...group]));
      const codes = await Promise.all(children.map((c) => c.exited));
      codes.forEach((code, i) => {
        expect([0, 3], children[i]?.stderr()).toContain(code);
      });
      expect(codes).toContain(0);
      const reader = await openFresh(location);
      const expected = [...BASE, ...ids.filter((_, i) => codes[i] === 0).flat()].sort();
      expect(
        reader
          .articles()
          .map((a) => a.id)
          .sort(),
      ).toEqual(expected);
      const upserts: ArticleUpsert[] = expected.map((id) => article(id));
      expect(reader.chunkCount).toBe(upserts.reduce((s, u) => s + u.chunks.length, 0));
      expect((await allChunks(reader)).length).toBe(reader.chunkCount);
      expect((await make(location).check()).problems).toEqual([]);
    });
  });
}
