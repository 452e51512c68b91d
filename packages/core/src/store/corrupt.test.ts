import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NewsragError } from '../errors.js';
import { FolderIndexStore } from './folder-store.js';

const D = 8;
let dir: string;
let gen: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsrag-corrupt-'));
  const rng = prng(1);
  const upserts = [0, 1, 2].map((i) => syntheticArticle(rng, `a${i}`, { chunks: 3, dimensions: D, title: `T${i}` }));
  await new FolderIndexStore(dir).write(syntheticUpdate(D, upserts));
  gen = join(dir, 'gen-000001');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openError(): Promise<NewsragError> {
  try {
    await new FolderIndexStore(dir).open();
  } catch (error) {
    if (error instanceof NewsragError) return error;
    throw error;
  }
  throw new Error('the index opened, expected an error');
}

async function editJson(file: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  await writeFile(file, JSON.stringify(value));
}

describe('opening a damaged index', () => {
  it('truncated vectors.f32 → INDEX_CORRUPT naming the file', async () => {
    await truncate(join(gen, 'vectors.f32'), 100);
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(join(gen, 'vectors.f32'));
    expect(err.message).toContain('truncated');
    expect(err.message).toContain('newsrag index --rebuild');
  });

  it('vectors.f32 of the wrong length (too long) → INDEX_CORRUPT', async () => {
    const file = join(gen, 'vectors.f32');
    await writeFile(file, Buffer.concat([await readFile(file), Buffer.alloc(4 * D)]));
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/9 chunks × 8 dimensions/);
  });

  it('manifest that is not JSON → INDEX_CORRUPT naming manifest.json', async () => {
    await writeFile(join(gen, 'manifest.json'), '{"schemaVersion": 1, "fingerp');
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(join(gen, 'manifest.json'));
  });

  it('manifest with a missing field → INDEX_CORRUPT naming the field', async () => {
    await editJson(join(gen, 'manifest.json'), (m) => {
      delete m.chunkCount;
    });
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain('chunkCount');
  });

  it('tolerates unknown manifest fields', async () => {
    await editJson(join(gen, 'manifest.json'), (m) => {
      m.futureField = { x: 1 };
    });
    expect((await new FolderIndexStore(dir).open())?.chunkCount).toBe(9);
  });

  it('manifest chunk count disagreeing with the files → INDEX_CORRUPT', async () => {
    await editJson(join(gen, 'manifest.json'), (m) => {
      m.chunkCount = 10;
    });
    expect((await openError()).code).toBe('INDEX_CORRUPT');
  });

  it('truncated chunks.jsonl → INDEX_CORRUPT naming chunks.jsonl', async () => {
    const file = join(gen, 'chunks.jsonl');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, Math.floor(text.length * 0.6)));
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(file);
  });

  it('chunks.jsonl missing whole lines → INDEX_CORRUPT with the line count', async () => {
    const file = join(gen, 'chunks.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${lines.slice(0, 7).join('\n')}\n`);
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain('7 lines');
  });

  it('a chunk line with a wrong field type → INDEX_CORRUPT naming the line and field', async () => {
    const file = join(gen, 'chunks.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[3] = (lines[3] as string).replace(/"start":\d+/, '"start":"12"');
    await writeFile(file, lines.join('\n'));
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(`${file} is unusable: line 4: start`);
  });

  it('articles.json not JSON → INDEX_CORRUPT naming articles.json', async () => {
    await writeFile(join(gen, 'articles.json'), '[{"id":');
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(join(gen, 'articles.json'));
  });

  it('bm25.json unreadable → INDEX_CORRUPT naming bm25.json', async () => {
    await writeFile(join(gen, 'bm25.json'), '{"documentCount": 9');
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(join(gen, 'bm25.json'));
  });

  it('newer schemaVersion → INDEX_SCHEMA_NEWER telling to upgrade or rebuild', async () => {
    await editJson(join(gen, 'manifest.json'), (m) => {
      m.schemaVersion = 2;
      delete m.fingerprint; // a newer format may look different: the version is checked first
    });
    const err = await openError();
    expect(err.code).toBe('INDEX_SCHEMA_NEWER');
    expect(err.message).toContain('newer newsrag');
    expect(err.message).toContain('upgrade');
    expect(err.message).toContain(join(gen, 'manifest.json'));
  });

  it('CURRENT naming a missing generation → INDEX_CORRUPT naming it', async () => {
    await writeFile(join(dir, 'CURRENT'), 'gen-000007\n');
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain('gen-000007');
  });

  it('CURRENT with garbage → INDEX_CORRUPT naming CURRENT', async () => {
    await writeFile(join(dir, 'CURRENT'), '../../etc');
    const err = await openError();
    expect(err.code).toBe('INDEX_CORRUPT');
    expect(err.message).toContain(join(dir, 'CURRENT'));
  });

  it('check() reports a load failure instead of throwing', async () => {
    await truncate(join(gen, 'vectors.f32'), 10);
    const report = await new FolderIndexStore(dir).check();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toContain('vectors.f32');
  });

  it('check() catches a chunk whose offsets lie outside its article', async () => {
    const file = join(gen, 'chunks.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    const chunk = JSON.parse(lines[4] as string) as { end: number; start: number; text: string };
    // Keep text length = end − start so only the article bound is violated.
    chunk.start += 10_000;
    chunk.end += 10_000;
    lines[4] = JSON.stringify(chunk);
    await writeFile(file, lines.join('\n'));
    const store = new FolderIndexStore(dir);
    expect((await store.open())?.chunkCount).toBe(9);
    const report = await store.check();
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/chunk a1#1 \(row 4\) offsets \d+\.\.\d+ lie outside article a1/);
  });

  it('check() catches a duplicated chunk id and a non-unit vector', async () => {
    const file = join(gen, 'chunks.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[2] = lines[1] as string;
    await writeFile(file, lines.join('\n'));
    const vectors = await readFile(join(gen, 'vectors.f32'));
    vectors.writeFloatLE(3, 0);
    await writeFile(join(gen, 'vectors.f32'), vectors);
    const report = await new FolderIndexStore(dir).check();
    expect(report.ok).toBe(false);
    const text = report.problems.join('\n');
    expect(text).toContain('chunk id a0#1 appears twice');
    expect(text).toContain('vector of row 0 has length');
  });
});
