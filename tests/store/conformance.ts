/**
 * The index store conformance suite: what every engine must do (see
 * packages/core/src/store/contract.ts). `describeIndexStoreConformance(engine)` registers the
 * tests for one engine from `engines.ts`; each engine has a `<name>.conformance.test.ts`.
 * Engine-agnostic on purpose: it uses only the `IndexStore`/`IndexReader` contract, the
 * engine's own damage scenarios and kill points, and child processes that write through the
 * engine by name.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KILL_POINT_ENV,
  KILL_POINT_MARKER,
  PAUSE_POINT_ENV,
  PAUSE_POINT_MARKER,
} from '../../packages/core/src/store/kill-point.js';
import { articleSignature } from '../../packages/core/src/syndication/signature.js';
import type { ArticleUpsert, IndexReader, IndexStore } from '../../packages/core/src/types.js';
import type { EngineUnderTest } from './engines.js';
import { article, articleUpdate, DIMENSIONS, rareWord } from './fixtures.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./write-worker.ts', import.meta.url));
const BASE = ['a/one', 'a/two', 'b/three', 'b/four', 'c/five'];

/** Everything a reader answers, as text: its articles, every chunk, and fixed searches. */
function describeState(reader: IndexReader): string {
  const out: string[] = [`articles ${reader.articleCount} chunks ${reader.chunkCount}`];
  for (const a of reader.articles().sort((x, y) => x.id.localeCompare(y.id))) out.push(JSON.stringify(a));
  const chunks: string[] = [];
  for (let row = 0; row < reader.chunkCount; row++) {
    const c = reader.chunk(row);
    chunks.push(
      `${c.id} ${c.start}-${c.end} ${c.text} ${Array.from(reader.vector(row).subarray(0, 3), (v) => v.toFixed(5))}`,
    );
  }
  out.push(...chunks.sort());
  const ids = reader
    .articles()
    .map((a) => a.id)
    .sort();
  for (const id of ids) {
    const hits = reader.lexicalSearch(rareWord(id), 3).map((h) => reader.chunk(h.row).id);
    out.push(`lex ${id}: ${hits.join(',')}`);
  }
  const query = article('query-probe').vectors.subarray(0, DIMENSIONS);
  out.push(
    `dense: ${reader
      .denseSearch(query, 5)
      .map((h) => `${reader.chunk(h.row).id}:${h.score.toFixed(5)}`)
      .join(',')}`,
  );
  return out.join('\n');
}

function rowOfChunk(reader: IndexReader, chunkId: string): number {
  for (let row = 0; row < reader.chunkCount; row++) if (reader.chunk(row).id === chunkId) return row;
  return -1;
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

interface Child {
  process: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startWriter(engine: string, location: string, ids: string[], env: Record<string, string> = {}): Child {
  const childEnv = { ...process.env, ...env };
  if (!env[KILL_POINT_ENV]) delete childEnv[KILL_POINT_ENV];
  if (!env[PAUSE_POINT_ENV]) delete childEnv[PAUSE_POINT_ENV];
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, engine, location, ...ids], {
    cwd: REPO,
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, stderr: () => err, exited };
}

async function waitFor(child: Child, text: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!child.stderr().includes(text)) {
    if (child.process.exitCode !== null) throw new Error(`writer exited before "${text}":\n${child.stderr()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`no "${text}" after ${timeoutMs} ms:\n${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Registers the conformance tests for `engine`. */
export function describeIndexStoreConformance(engine: EngineUnderTest): void {
  describe(`IndexStore conformance: ${engine.name}`, () => {
    let root: string;
    let n = 0;
    const readers: IndexReader[] = [];
    /** A fresh, empty index location. */
    const fresh = () => join(root, `index-${++n}`);
    const track = <R extends IndexReader | null>(r: R): R => {
      if (r) readers.push(r);
      return r;
    };
    const openFresh = async (location: string): Promise<IndexReader> => {
      const r = track(await engine.make(location).open());
      if (!r) throw new Error(`no index at ${location}`);
      return r;
    };
    const withBase = async (): Promise<{ location: string; store: IndexStore }> => {
      const location = fresh();
      const store = engine.make(location);
      track(await store.write(articleUpdate(BASE)));
      return { location, store };
    };

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), `newsrag-conformance-${engine.name}-`));
    });
    afterAll(async () => {
      for (const r of readers) r.close?.();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('has no index before the first write', async () => {
      expect(await engine.make(fresh()).open()).toBeNull();
    });

    it('round-trips articles, chunks, vectors, the fingerprint and both searches', async () => {
      const { location } = await withBase();
      const reader = await openFresh(location);
      const upserts = BASE.map((id) => article(id));
      expect(reader.articleCount).toBe(BASE.length);
      expect(reader.chunkCount).toBe(upserts.reduce((s, u) => s + u.chunks.length, 0));
      expect(reader.manifest).toMatchObject({ fingerprintId: 'synthetic-fp', dimensions: DIMENSIONS, articleCount: 5 });
      expect(reader.manifest.fingerprint.modelId).toBe('test/synthetic');
      for (const u of upserts) {
        expect(reader.article(u.record.id)).toEqual(u.record);
        u.chunks.forEach((c, i) => {
          const row = rowOfChunk(reader, c.id);
          expect(reader.chunk(row)).toEqual(c);
          expect(Array.from(reader.vector(row))).toEqual(
            Array.from(u.vectors.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS)),
          );
        });
        // Its own vector is its nearest neighbour; its rare word finds its first chunk, only it.
        const top = reader.denseSearch(u.vectors.subarray(0, DIMENSIONS), 1)[0];
        expect(reader.chunk(top?.row as number).id).toBe(u.chunks[0]?.id);
        expect(top?.score).toBeCloseTo(1, 5);
        const lexical = reader.lexicalSearch(rareWord(u.record.id), 10);
        expect(lexical.map((h) => reader.chunk(h.row).id)).toEqual([u.chunks[0]?.id]);
        expect(lexical[0]?.score).toBeGreaterThan(0);
        if (reader.documentFrequency) expect(reader.documentFrequency(rareWord(u.record.id))).toBe(1);
      }
      // Rows of one article are contiguous and in chunk order.
      for (let row = 1; row < reader.chunkCount; row++) {
        const [prev, cur] = [reader.chunk(row - 1), reader.chunk(row)];
        if (prev.articleId === cur.articleId) expect(cur.ordinal).toBe(prev.ordinal + 1);
        else expect(cur.ordinal).toBe(0);
      }
      // Filters restrict both searches.
      const only = ['b/three'];
      const q = article('a/one').vectors.subarray(0, DIMENSIONS);
      const dense = reader.denseSearch(q, 50, { articleIds: only });
      expect(dense.length).toBe(article('b/three').chunks.length);
      expect(new Set(dense.map((h) => reader.chunk(h.row).articleId))).toEqual(new Set(only));
      expect(reader.lexicalSearch(rareWord('a/one'), 10, { articleIds: only })).toEqual([]);
      const bbc = reader.lexicalSearch('government economy market', 100, { sources: ['bbc'] });
      expect(bbc.length).toBeGreaterThan(0);
      for (const h of bbc) expect(reader.article(reader.chunk(h.row).articleId)?.meta.source).toBe('bbc');
      expect(reader.lexicalSearch('the of and', 10)).toEqual([]);
      expect((await engine.make(location).check()).problems).toEqual([]);
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
      expect(reader.lexicalSearch(rareWord('a/two'), 10).map((h) => reader.chunk(h.row).id)).toEqual([]);
      expect(reader.lexicalSearch(`${rareWord('a/two')}v1`, 10).map((h) => reader.chunk(h.row).id)).toEqual([
        'a/two#0',
      ]);
      expect(reader.lexicalSearch(rareWord('d/six'), 10).map((h) => reader.chunk(h.row).id)).toEqual(['d/six#0']);
      for (const id of ['a/one', 'b/three', 'b/four', 'c/five']) {
        const u = article(id);
        const row = rowOfChunk(reader, `${id}#1`);
        expect(Array.from(reader.vector(row))).toEqual(Array.from(u.vectors.subarray(DIMENSIONS, 2 * DIMENSIONS)));
      }
      expect((await engine.make(location).check()).problems).toEqual([]);
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
      for (let row = 0; row < reader.chunkCount; row++)
        expect(['a/one', 'c/five']).not.toContain(reader.chunk(row).articleId);
      expect(reader.lexicalSearch(rareWord('a/one'), 10)).toEqual([]);
      if (reader.documentFrequency) expect(reader.documentFrequency(rareWord('c/five'))).toBe(0);
      const q = article('a/one').vectors.subarray(0, DIMENSIONS);
      for (const h of reader.denseSearch(q, 100)) expect(reader.chunk(h.row).articleId).not.toBe('a/one');
      expect((await engine.make(location).check()).problems).toEqual([]);
    });

    it('applies signature-only updates: records change, chunks, vectors and lexical entries stay', async () => {
      const { location, store } = await withBase();
      const before = await openFresh(location);
      const beforeState = describeState(before);
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
          .filter((line) => !line.startsWith('{"id":"a/one"'))
          .join('\n');
      expect(others(describeState(reader))).toBe(others(beforeState));
      expect((await engine.make(location).check()).problems).toEqual([]);
    });

    it('keeps an open reader on its snapshot while writes commit, and never blocks the writer', async () => {
      const { location, store } = await withBase();
      const old = await openFresh(location);
      const oldState = describeState(old);
      track(await store.write(articleUpdate(['e/seven', 'f/eight'], ['b/three'])));
      track(await engine.make(location).write({ ...articleUpdate([]), upserts: [article('a/one', 2)] }));
      expect(describeState(old)).toBe(oldState);
      const now = await openFresh(location);
      expect(now.articleCount).toBe(6);
      expect(now.article('b/three')).toBeUndefined();
      expect(describeState(now)).not.toBe(oldState);
      expect(old.article('b/three')).toBeDefined();
    });

    it('refuses another model’s vectors and an open expecting another model, unless replacing', async () => {
      const { location, store } = await withBase();
      const before = describeState(await openFresh(location));
      const err = await expectCode(store.write(articleUpdate(['x/other'], [], 'other-fp')), 'INDEX_MODEL_MISMATCH');
      expect(err.message).toContain('test/synthetic');
      expect(describeState(await openFresh(location))).toBe(before);
      await expectCode(engine.make(location, { expectFingerprintId: 'other-fp' }).open(), 'INDEX_MODEL_MISMATCH');
      track(await store.write(articleUpdate(['x/other'], [], 'other-fp'), { replace: true }));
      const replaced = await openFresh(location);
      expect(replaced.manifest.fingerprintId).toBe('other-fp');
      expect(replaced.articles().map((a) => a.id)).toEqual(['x/other']);
      expect((await engine.make(location).check()).problems).toEqual([]);
    });

    for (const damage of engine.damages) {
      it(`names the damaged file (INDEX_CORRUPT): ${damage.what}; a rebuild recovers`, async () => {
        const { location } = await withBase();
        for (const r of readers.splice(0)) r.close?.();
        const file = await damage.apply(location);
        const err = await expectCode(engine.make(location).open(), 'INDEX_CORRUPT');
        expect(err.message).toContain(file);
        const report = await engine.make(location).check();
        expect(report.ok).toBe(false);
        expect(report.problems.join('\n')).toContain(file);
        track(await engine.make(location).write(articleUpdate(['a/one']), { replace: true }));
        const reader = await openFresh(location);
        expect(reader.articles().map((a) => a.id)).toEqual(['a/one']);
        expect((await engine.make(location).check()).problems).toEqual([]);
      });
    }

    for (const { point, committed } of engine.killPoints) {
      it(`survives kill -9 at ${point} (${committed ? 'committed' : 'previous state kept'})`, async () => {
        const { location } = await withBase();
        const before = describeState(await openFresh(location));
        const ids = ['k/one', 'k/two', 'k/three', 'k/four'];
        const child = startWriter(engine.name, location, ids, { [KILL_POINT_ENV]: point });
        await waitFor(child, `${KILL_POINT_MARKER} ${point}`);
        child.process.kill('SIGKILL');
        await child.exited;
        const reader = await openFresh(location);
        expect((await engine.make(location).check()).problems).toEqual([]);
        if (committed) {
          for (const id of ids) expect(reader.article(id)).toEqual(article(id).record);
          expect(reader.articleCount).toBe(BASE.length + ids.length);
        } else {
          expect(describeState(reader)).toBe(before);
        }
        // The dead writer does not block the next one.
        track(await engine.make(location).write(articleUpdate(['k/after'])));
        expect((await openFresh(location)).article('k/after')).toBeDefined();
        expect((await engine.make(location).check()).problems).toEqual([]);
      });
    }

    it('lets one writer process write at a time: a second gets INDEX_LOCKED while the first holds the write', async () => {
      const { location } = await withBase();
      const release = join(root, `release-${++n}`);
      const first = startWriter(engine.name, location, ['w/first'], { [PAUSE_POINT_ENV]: `locked:${release}` });
      await waitFor(first, `${PAUSE_POINT_MARKER} locked`);
      const second = startWriter(engine.name, location, ['w/second']);
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
      const children = ids.map((group) => startWriter(engine.name, location, group));
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
      expect((await engine.make(location).check()).problems).toEqual([]);
    });
  });
}
