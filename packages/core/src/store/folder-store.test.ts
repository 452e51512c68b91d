import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng, randomUnitVectors } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NewsragError } from '../errors.js';
import { articleSignature } from '../syndication/signature.js';
import type { ArticleUpsert } from './contract.js';
import { FolderIndexStore } from './folder-store.js';
import { CURRENT_FILE } from './layout.js';

const D = 16;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsrag-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function corpus(seed: number, n: number, chunks = 3): ArticleUpsert[] {
  const rng = prng(seed);
  return Array.from({ length: n }, (_, i) =>
    syntheticArticle(rng, `a${i}`, {
      chunks: chunks + (i % 2),
      dimensions: D,
      title: `Title ${i}`,
      source: i % 2 ? 'bbc' : 'ap',
      date: `2024-01-${String(10 + i).padStart(2, '0')}`,
    }),
  );
}

async function errorOf(p: Promise<unknown>): Promise<NewsragError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof NewsragError) return error;
    throw error;
  }
  throw new Error('expected a NewsragError, nothing was thrown');
}

describe('FolderIndexStore', () => {
  it('returns null when there is no index', async () => {
    expect(await new FolderIndexStore(join(dir, 'none')).open()).toBeNull();
  });

  it('creates the index owner-only: folders 0700, files 0600', async () => {
    const store = new FolderIndexStore(join(dir, 'idx'));
    await store.write(syntheticUpdate(D, corpus(2, 3)));
    const walk = async (at: string): Promise<string[]> => {
      const out: string[] = [];
      for (const e of await readdir(at, { withFileTypes: true })) {
        const full = join(at, e.name);
        if (e.name.endsWith('.lock')) continue; // proper-lockfile's own folder, removed on release
        out.push(`${e.isDirectory() ? 'd' : 'f'} ${((await stat(full)).mode & 0o777).toString(8)}`);
        if (e.isDirectory()) out.push(...(await walk(full)));
      }
      return out;
    };
    const modes = [`d ${((await stat(join(dir, 'idx'))).mode & 0o777).toString(8)}`, ...(await walk(join(dir, 'idx')))];
    expect(modes.length).toBeGreaterThan(4);
    for (const m of modes) expect(m).toMatch(/^(d 700|f 600)$/);
  });

  it('round-trips articles, chunks and vectors through disk', async () => {
    const store = new FolderIndexStore(join(dir, 'idx'));
    const upserts = corpus(1, 5);
    const written = await store.write(syntheticUpdate(D, upserts));
    const reader = await store.open();
    if (!reader) throw new Error('no index after write');
    expect(reader.manifest).toEqual(written.manifest);
    expect(reader.manifest.generation).toBe(1);
    expect(reader.articleCount).toBe(5);
    expect(reader.chunkCount).toBe(upserts.reduce((n, u) => n + u.chunks.length, 0));
    expect(reader.articles()).toEqual(upserts.map((u) => u.record));
    let row = 0;
    for (const u of upserts) {
      u.chunks.forEach((c, i) => {
        expect(reader.chunk(row)).toEqual(c);
        expect(Array.from(reader.vector(row))).toEqual(Array.from(u.vectors.subarray(i * D, (i + 1) * D)));
        row++;
      });
    }
    expect(await readFile(join(dir, 'idx', CURRENT_FILE), 'utf8')).toBe('gen-000001\n');
    expect((await store.check()).ok).toBe(true);
  });

  it('sizeOnDisk counts the current generation only', async () => {
    const store = new FolderIndexStore(dir);
    expect(await store.sizeOnDisk()).toBe(0);
    const reader = await store.write(syntheticUpdate(D, corpus(19, 2)));
    let expected = 0;
    for (const f of await readdir(reader.generationDir)) expected += (await stat(join(reader.generationDir, f))).size;
    expect(expected).toBeGreaterThan(reader.chunkCount * D * 4);
    expect(await store.sizeOnDisk()).toBe(expected);
  });

  it('copies unchanged rows, replaces upserted articles in place, appends new ones, removes removals', async () => {
    const store = new FolderIndexStore(dir);
    const [a0, a1, a2] = corpus(2, 3);
    if (!a0 || !a1 || !a2) throw new Error('fixture');
    await store.write(syntheticUpdate(D, [a0, a1, a2]));
    const rng = prng(99);
    const a1v2 = syntheticArticle(rng, 'a1', { chunks: 5, dimensions: D, version: 2 });
    const a3 = syntheticArticle(rng, 'a3', { chunks: 2, dimensions: D });
    const next = await store.write(syntheticUpdate(D, [a3, a1v2], ['a0']));
    expect(next.manifest.generation).toBe(2);
    expect(next.articles().map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
    expect(next.article('a1')?.hash).toBe(a1v2.record.hash);
    expect(next.article('a0')).toBeUndefined();
    expect(next.chunkCount).toBe(5 + a2.chunks.length + 2);
    // a2 was not touched: its vectors are the very same floats.
    const a2Row = 5;
    expect(next.chunk(a2Row).id).toBe('a2#0');
    expect(Array.from(next.vector(a2Row))).toEqual(Array.from(a2.vectors.subarray(0, D)));
    const reopened = await store.open();
    expect(reopened?.articles()).toEqual(next.articles());
    expect((await store.check()).ok).toBe(true);
    // The previous generation is kept until the next write, older ones are removed.
    await store.write(syntheticUpdate(D, [], ['a3']));
    expect((await readdir(dir)).filter((e) => e.startsWith('gen-')).sort()).toEqual(['gen-000002', 'gen-000003']);
  });

  it('updates the signatures of kept articles in place, copying their rows, and keeps them on reopen', async () => {
    const store = new FolderIndexStore(dir);
    const [a0, a1] = corpus(5, 2);
    if (!a0 || !a1) throw new Error('fixture');
    const first = await store.write(syntheticUpdate(D, [a0, a1]));
    expect(first.article('a0')?.signature).toBeUndefined();
    const signature = articleSignature('Some words of an article, enough for a shingle or two.');
    const next = await store.write({ ...syntheticUpdate(D, []), signatures: [{ id: 'a1', signature }] });
    expect(next.article('a1')).toEqual({ ...first.article('a1'), signature });
    expect(next.article('a0')).toEqual(first.article('a0'));
    expect(Array.from(next.vector(next.chunkCount - 1))).toEqual(Array.from(first.vector(first.chunkCount - 1)));
    expect((await store.open())?.article('a1')?.signature).toEqual(signature);
    expect((await store.check()).ok).toBe(true);
    const both = await errorOf(
      store.write({ ...syntheticUpdate(D, [], ['a1']), signatures: [{ id: 'a1', signature }] }),
    );
    expect(both.code).toBe('BAD_OPTIONS');
    expect(both.message).toContain('signatures[0]');
  });

  it('an index emptied by removals still opens, searches and checks', async () => {
    const store = new FolderIndexStore(dir);
    await store.write(syntheticUpdate(D, corpus(20, 2)));
    const empty = await store.write(syntheticUpdate(D, [], ['a0', 'a1']));
    expect(empty.chunkCount).toBe(0);
    const reopened = await store.open();
    expect(reopened?.articleCount).toBe(0);
    expect(reopened?.denseSearch(randomUnitVectors(prng(21), 1, D), 5)).toEqual([]);
    expect(reopened?.lexicalSearch('government', 5)).toEqual([]);
    expect((await store.check()).ok).toBe(true);
  });

  it('loads the complete generation CURRENT names despite a leftover temp generation, and cleans it on the next write', async () => {
    const store = new FolderIndexStore(dir);
    await store.write(syntheticUpdate(D, corpus(3, 2)));
    // What a writer killed mid-write leaves: a half-written temp folder and an unswitched generation.
    await mkdir(join(dir, 'gen-000002.tmp-424242'));
    await writeFile(join(dir, 'gen-000002.tmp-424242', 'vectors.f32'), new Uint8Array(100));
    await mkdir(join(dir, 'gen-000003'));
    await writeFile(join(dir, 'CURRENT.tmp-424242'), 'gen-000003\n');
    const reader = await store.open();
    expect(reader?.manifest.generation).toBe(1);
    expect(reader?.articleCount).toBe(2);
    const next = await store.write(
      syntheticUpdate(
        D,
        corpus(4, 1).map((u) => ({
          ...u,
          record: { ...u.record, id: 'new' },
          chunks: u.chunks.map((c) => ({ ...c, id: c.id.replace('a0', 'new'), articleId: 'new' })),
        })),
      ),
    );
    // Numbered past the unswitched leftover, which is then removed with the temp entries.
    expect(next.manifest.generation).toBe(4);
    expect((await readdir(dir)).sort()).toEqual(['CURRENT', 'gen-000001', 'gen-000004']);
    expect((await store.open())?.articleCount).toBe(3);
  });

  it('ignores a generation that CURRENT never named (a crash before the first switch)', async () => {
    const store = new FolderIndexStore(dir);
    await store.write(syntheticUpdate(D, corpus(5, 1)));
    await rm(join(dir, CURRENT_FILE));
    expect(await store.open()).toBeNull();
  });

  it('refuses an update from another embedder fingerprint and keeps the index', async () => {
    const store = new FolderIndexStore(dir);
    await store.write(syntheticUpdate(D, corpus(6, 2), [], 'fp-A', 'org/model-a'));
    const err = await errorOf(store.write(syntheticUpdate(D, corpus(7, 1), [], 'fp-B', 'org/model-b')));
    expect(err.code).toBe('INDEX_MODEL_MISMATCH');
    expect(err.message).toContain('org/model-a');
    expect(err.message).toContain('--rebuild');
    expect(err.message).toContain('--model org/model-a');
    expect((await store.open())?.manifest.fingerprintId).toBe('fp-A');
  });

  it('opening with another expected fingerprint names the model that built the index', async () => {
    await new FolderIndexStore(dir).write(syntheticUpdate(D, corpus(8, 1), [], 'fp-A', 'org/model-a'));
    const err = await errorOf(new FolderIndexStore(dir, { expectFingerprintId: 'fp-B' }).open());
    expect(err.code).toBe('INDEX_MODEL_MISMATCH');
    expect(err.message).toMatch(/org\/model-a \(fp32/);
    expect(err.message).toContain('--rebuild');
    expect((await new FolderIndexStore(dir, { expectFingerprintId: 'fp-A' }).open())?.articleCount).toBe(1);
  });

  it('replace builds from the update alone, even over an index of another model', async () => {
    const store = new FolderIndexStore(dir);
    await store.write(syntheticUpdate(D, corpus(9, 3), [], 'fp-A'));
    const fresh = await store.write(syntheticUpdate(D, corpus(10, 1), [], 'fp-B'), { replace: true });
    expect(fresh.manifest.fingerprintId).toBe('fp-B');
    expect(fresh.articleCount).toBe(1);
    expect(fresh.manifest.generation).toBe(2);
  });

  it('rejects an inconsistent update naming the field, writing nothing', async () => {
    const store = new FolderIndexStore(dir);
    const [a] = corpus(11, 1);
    if (!a) throw new Error('fixture');
    const short = { ...a, vectors: a.vectors.subarray(0, D) };
    const err = await errorOf(store.write(syntheticUpdate(D, [short])));
    expect(err.code).toBe('BAD_OPTIONS');
    expect(err.message).toContain('upserts[0] (a0).vectors');
    const outside = { ...a, chunks: a.chunks.map((c, i) => (i === 1 ? { ...c, end: a.record.length + 5 } : c)) };
    expect((await errorOf(store.write(syntheticUpdate(D, [outside])))).message).toContain('upserts[0] (a0).chunks[1]');
    expect(await store.open()).toBeNull();
  });
});

describe('FolderIndexReader search', () => {
  it('dense top-k equals a brute-force sort, with and without filters', async () => {
    const store = new FolderIndexStore(dir);
    const upserts = corpus(12, 40, 5);
    const reader = await store.write(syntheticUpdate(D, upserts));
    const q = randomUnitVectors(prng(13), 1, D);
    const brute = (allowed: (row: number) => boolean) => {
      const scored: { row: number; score: number }[] = [];
      for (let r = 0; r < reader.chunkCount; r++) {
        if (!allowed(r)) continue;
        let s = 0;
        for (let j = 0; j < D; j++) s += (q[j] as number) * (reader.vector(r)[j] as number);
        scored.push({ row: r, score: s });
      }
      return scored
        .sort((a, b) => b.score - a.score)
        .slice(0, 10)
        .map((x) => x.row);
    };
    const got = reader.denseSearch(q, 10);
    expect(got.map((x) => x.row)).toEqual(brute(() => true));
    for (let i = 1; i < got.length; i++)
      expect((got[i] as { score: number }).score).toBeLessThanOrEqual((got[i - 1] as { score: number }).score);

    const articleOf = (r: number) => reader.article(reader.chunk(r).articleId);
    expect(reader.denseSearch(q, 10, { sources: ['bbc'] }).map((x) => x.row)).toEqual(
      brute((r) => articleOf(r)?.meta.source === 'bbc'),
    );
    expect(reader.denseSearch(q, 10, { articleIds: ['a3', 'a7'] }).map((x) => x.row)).toEqual(
      brute((r) => ['a3', 'a7'].includes(reader.chunk(r).articleId)),
    );
    const inRange = (r: number) => {
      const d = articleOf(r)?.meta.date ?? '';
      return d >= '2024-01-15' && d <= '2024-01-20';
    };
    expect(reader.denseSearch(q, 10, { dateFrom: '2024-01-15', dateTo: '2024-01-20' }).map((x) => x.row)).toEqual(
      brute(inRange),
    );
    expect(reader.denseSearch(q, 500).length).toBe(reader.chunkCount);
    expect(reader.denseSearch(q, 0)).toEqual([]);
  });

  it('an incrementally updated BM25 index scores like one built from scratch', async () => {
    const store = new FolderIndexStore(dir);
    const upserts = corpus(17, 30);
    await store.write(syntheticUpdate(D, upserts));
    const rng = prng(18);
    const changed = [
      syntheticArticle(rng, 'a4', { chunks: 2, dimensions: D, title: 'Market report', version: 2 }),
      syntheticArticle(rng, 'fresh', { chunks: 4, dimensions: D, title: 'Election night' }),
    ];
    const incremental = await store.write(syntheticUpdate(D, changed, ['a7', 'a8']));
    const scratch = await new FolderIndexStore(join(dir, 'scratch')).write(
      syntheticUpdate(
        D,
        incremental.articles().map((a) => {
          const rows = incremental.rowsOf(a.id);
          const chunks = Array.from({ length: rows.count }, (_, i) => incremental.chunk(rows.first + i));
          return {
            record: a,
            chunks,
            vectors: incremental.matrix().slice(rows.first * D, (rows.first + rows.count) * D),
          };
        }),
      ),
    );
    const reloaded = await store.open();
    for (const q of ['market report', 'election vote party', 'football club season award', 'bank']) {
      for (const reader of [incremental, reloaded]) {
        const got = reader?.lexicalSearch(q, 20) ?? [];
        const want = scratch.lexicalSearch(q, 20);
        expect(got.map((h) => h.row)).toEqual(want.map((h) => h.row));
        got.forEach((h, i) => {
          expect(h.score).toBeCloseTo((want[i] as { score: number }).score, 9);
        });
      }
    }
  });

  it('excludes undated articles from a date range', async () => {
    const rng = prng(14);
    const undated = syntheticArticle(rng, 'nodate', { chunks: 2, dimensions: D });
    const dated = syntheticArticle(rng, 'dated', { chunks: 2, dimensions: D, date: '2024-05-01' });
    const reader = await new FolderIndexStore(dir).write(syntheticUpdate(D, [undated, dated]));
    const q = randomUnitVectors(rng, 1, D);
    const rows = reader.denseSearch(q, 10, { dateFrom: '2000-01-01' }).map((x) => reader.chunk(x.row).articleId);
    expect(new Set(rows)).toEqual(new Set(['dated']));
  });

  it('BM25 finds a rare term, in chunk text and in titles, and honours filters', async () => {
    const rng = prng(15);
    const upserts = [
      ...corpus(16, 30),
      syntheticArticle(rng, 'rare', {
        chunks: 3,
        dimensions: D,
        inject: 'The Zanzibarian referendum passed.',
        source: 'bbc',
      }),
      syntheticArticle(rng, 'titled', { chunks: 2, dimensions: D, title: 'Quokka sightings rise', source: 'ap' }),
    ];
    const reader = await new FolderIndexStore(dir).write(syntheticUpdate(D, upserts));
    const hits = reader.lexicalSearch('zanzibarian', 5);
    expect(hits.length).toBe(1);
    expect(reader.chunk((hits[0] as { row: number }).row).id).toBe('rare#0');
    // Case, punctuation and a plural do not matter; stop words are ignored.
    expect(reader.lexicalSearch('What about the QUOKKAS?', 5).map((h) => reader.chunk(h.row).articleId)).toEqual([
      'titled',
      'titled',
    ]);
    expect(reader.lexicalSearch('zanzibarian', 5, { sources: ['ap'] })).toEqual([]);
    expect(reader.lexicalSearch('the of and', 5)).toEqual([]);
    // A reloaded index answers the same.
    const reopened = await new FolderIndexStore(dir).open();
    expect(reopened?.lexicalSearch('zanzibarian referendum', 5)).toEqual(
      reader.lexicalSearch('zanzibarian referendum', 5),
    );
  });
});
