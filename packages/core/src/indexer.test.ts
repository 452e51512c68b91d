import { appendFile, copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { SEED_ARTICLES } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NewsragError } from './errors.js';
import { planIndex, runIndex } from './indexer.js';
import type { IndexReader } from './store/contract.js';
import { FolderIndexStore } from './store/folder-store.js';
import type { Article, ArticleRecord, IndexProgress } from './types.js';

const SEED = SEED_ARTICLES;

/**
 * Three short made-up articles beside the seeds (headline line, then paragraphs, like the BBC
 * corpus's files), so this runs on a fresh clone without the shared data.
 */
const TECH: Record<string, string> = {
  'tech-001.txt':
    'Chip maker opens new plant\n\nA chip maker opened a plant outside the city on Monday, adding 800 jobs. ' +
    'The plant will make memory chips for phones and laptops.\n\nThe company said output would double by next spring. ' +
    'Local officials welcomed the investment, the largest in the region for a decade.\n',
  'tech-002.txt':
    'Broadband reaches remote villages\n\nFast broadband has reached forty remote villages after a two-year project. ' +
    'Engineers laid fibre along old railway lines to cut costs.\n\nResidents said video calls and online schooling now work. ' +
    'The operator plans to connect a further sixty villages next year.\n',
  'tech-003.txt':
    'Games console sales slow\n\nSales of games consoles fell in the last quarter as buyers waited for new models. ' +
    'Retailers cut prices to clear stock before the holidays.\n\nAnalysts expect sales to recover once the new consoles ship. ' +
    'Mobile games kept growing, taking a larger share of spending.\n',
};

let embedder: Embedder;
let root: string;
let articlesDir: string;

beforeAll(async () => {
  embedder = await createEmbedder({ model: 'standin' });
  root = await mkdtemp(join(tmpdir(), 'newsrag-indexer-'));
  articlesDir = join(root, 'articles');
  await mkdir(articlesDir);
  for (const f of await readdir(SEED)) await copyFile(join(SEED, f), join(articlesDir, f));
  for (const [name, text] of Object.entries(TECH)) await writeFile(join(articlesDir, name), text);
});

afterAll(async () => {
  await embedder?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

/** chunk id → its vector, to compare generations. */
function vectorsById(reader: IndexReader): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let row = 0; row < reader.chunkCount; row++) out.set(reader.chunk(row).id, Array.from(reader.vector(row)));
  return out;
}

async function generations(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((e) => e.startsWith('gen-')).sort();
}

describe('runIndex (real stand-in embedder, real files)', () => {
  it('indexes, skips an unchanged re-run, re-embeds only an edited article, adds, keeps and prunes', async () => {
    const indexDir = join(root, 'index');
    const store = new FolderIndexStore(indexDir);
    const progress: IndexProgress[] = [];

    // 1. First run: everything is new.
    const first = await runIndex({ store, embedder, paths: [articlesDir], onProgress: (p) => progress.push(p) });
    expect(first.summary).toMatchObject({ added: 6, updated: 0, removed: 0, unchanged: 0 });
    const r1 = first.reader;
    if (!r1) throw new Error('no reader after the first run');
    expect(first.summary.chunksEmbedded).toBe(r1.chunkCount);
    expect(r1.chunkCount).toBeGreaterThan(6);
    expect(r1.manifest.fingerprintId).toBe(embedder.fingerprintId);
    expect(progress.some((p) => p.phase === 'embed' && p.done === p.total && p.total === r1.chunkCount)).toBe(true);
    expect(progress.at(-1)).toEqual({ phase: 'write', done: 1, total: 1 });
    expect((await store.check()).ok).toBe(true);
    const before = vectorsById(r1);

    // 2. Nothing changed: nothing embedded, no new generation written.
    const again = await runIndex({ store, embedder, paths: [articlesDir] });
    expect(again.summary).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 6, chunksEmbedded: 0 });
    expect(again.reader?.manifest.generation).toBe(1);
    expect(await generations(indexDir)).toEqual(['gen-000001']);

    // 3. One article edited: only its chunks are embedded again.
    const edited = r1.articles().find((a) => a.id === 'tech-002') as ArticleRecord;
    await appendFile(
      join(articlesDir, 'tech-002.txt'),
      '\n\nThe quarterly zorbulator shipments doubled, the company said.\n',
    );
    const third = await runIndex({ store, embedder, paths: [articlesDir] });
    const r3 = third.reader as IndexReader;
    expect(third.summary).toMatchObject({ added: 0, updated: 1, removed: 0, unchanged: 5 });
    expect(third.summary.chunksEmbedded).toBe(r3.article('tech-002')?.chunkCount);
    expect(third.summary.chunksEmbedded).toBeLessThan(r3.chunkCount);
    expect(r3.article('tech-002')?.hash).not.toBe(edited.hash);
    expect(r3.manifest.generation).toBe(2);
    const after = vectorsById(r3);
    for (const [id, v] of after) if (!id.startsWith('tech-002#')) expect(v).toEqual(before.get(id));
    const hit = r3.lexicalSearch('zorbulator', 3)[0];
    expect(hit && r3.chunk(hit.row).articleId).toBe('tech-002');
    const dense = r3.denseSearch(await embedder.embedQuery('zorbulator shipments doubled'), 3);
    expect(dense.map((h) => r3.chunk(h.row).articleId)).toContain('tech-002');

    // 4. A new file is added.
    await writeFile(
      join(articlesDir, 'extra.txt'),
      'Harbour reopens\n\nThe old harbour reopened on Monday after repairs. Fishing boats returned the same day.\n',
    );
    const fourth = await runIndex({ store, embedder, paths: [articlesDir] });
    expect(fourth.summary).toMatchObject({ added: 1, updated: 0, removed: 0, unchanged: 6 });
    expect(fourth.summary.chunksEmbedded).toBe(fourth.reader?.article('extra')?.chunkCount);

    // 5. A removed file stays indexed without prune (and nothing is written) …
    await rm(join(articlesDir, 'tech-001.txt'));
    const kept = await runIndex({ store, embedder, paths: [articlesDir] });
    expect(kept.summary).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 6, chunksEmbedded: 0 });
    expect(kept.reader?.article('tech-001')).toBeDefined();
    expect(kept.reader?.manifest.generation).toBe(3);

    // … and is removed with prune.
    const pruned = await runIndex({ store, embedder, paths: [articlesDir], prune: true });
    expect(pruned.summary).toMatchObject({ added: 0, updated: 0, removed: 1, unchanged: 6, chunksEmbedded: 0 });
    expect(pruned.reader?.article('tech-001')).toBeUndefined();
    expect(pruned.reader?.articleCount).toBe(6);
    const reopened = await new FolderIndexStore(indexDir).open();
    expect(
      reopened
        ?.articles()
        .map((a) => a.id)
        .sort(),
    ).toEqual(
      pruned.reader
        ?.articles()
        .map((a) => a.id)
        .sort(),
    );
    expect((await store.check()).ok).toBe(true);
    expect(await generations(indexDir)).toEqual(['gen-000003', 'gen-000004']);
  });

  it('refuses to add to an index built by another embedder, before embedding anything', async () => {
    const indexDir = join(root, 'other-model');
    const store = new FolderIndexStore(indexDir);
    const other = await createEmbedder({ model: 'standin-bge-shape' });
    try {
      await runIndex({ store, embedder: other, paths: [join(articlesDir, 'extra.txt')] });
    } finally {
      await other.dispose();
    }
    let progressed = 0;
    const err = await runIndex({
      store,
      embedder,
      paths: [articlesDir],
      onProgress: (p) => p.phase === 'embed' && progressed++,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NewsragError);
    expect((err as NewsragError).code).toBe('INDEX_MODEL_MISMATCH');
    expect((err as NewsragError).message).toContain('newsrag/standin-bge-shape');
    expect(progressed).toBe(0);
    // --rebuild replaces it with the current model.
    const rebuilt = await runIndex({ store, embedder, paths: [articlesDir], rebuild: true });
    expect(rebuilt.reader?.manifest.fingerprintId).toBe(embedder.fingerprintId);
    expect(rebuilt.summary.added).toBe(rebuilt.reader?.articleCount);
  });
});

describe('planIndex', () => {
  const article = (id: string, hash: string): Article => ({ id, path: `/c/${id}.txt`, hash, text: 'x', meta: {} });
  const record = (id: string, hash: string): ArticleRecord => ({
    id,
    path: `/c/${id}.txt`,
    hash,
    meta: {},
    length: 1,
    chunkCount: 1,
  });

  it('sorts articles into added, updated, unchanged and (with prune) removals', () => {
    const plan = planIndex(
      [article('a', '1'), article('b', '2'), article('d', '4')],
      [record('a', '1'), record('b', 'old'), record('c', '3')],
      true,
    );
    expect(plan.added.map((a) => a.id)).toEqual(['d']);
    expect(plan.updated.map((a) => a.id)).toEqual(['b']);
    expect(plan.unchanged.map((a) => a.id)).toEqual(['a']);
    expect(plan.removals).toEqual(['c']);
    expect(planIndex([], [record('c', '3')], false).removals).toEqual([]);
  });

  it('does not prune an article whose file failed to read this time', () => {
    expect(planIndex([], [record('c', '3')], true, new Set(['/c/c.txt'])).removals).toEqual([]);
  });
});
