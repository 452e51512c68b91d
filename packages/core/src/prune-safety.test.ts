/**
 * Pruning removes an article only when its file is known to be gone: a missing root, a
 * folder that cannot be listed or a broken link to one keeps everything under it.
 * Symbolic links leading outside the articles folder are not followed unless asked.
 */
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readArticles } from './articles/read.js';
import { runIndex } from './indexer.js';
import { FolderIndexStore } from './store/folder-store.js';

const TEXT = (n: number) =>
  `Harbour report ${n}\n\nThe harbour authority counted ${n} ships on Monday. Officials said traffic rose again.\n`;

let embedder: Embedder;
let root: string;

beforeAll(async () => {
  embedder = await createEmbedder({ model: 'standin' });
});
afterAll(async () => {
  await embedder?.dispose();
});
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsrag-prune-'));
  return () => rm(root, { recursive: true, force: true });
});

async function put(file: string, text: string): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
}

describe('prune never deletes what it could not see', () => {
  it('a missing root stops pruning under it and is reported by name', async () => {
    const articles = join(root, 'articles');
    for (let i = 0; i < 3; i++) await put(join(articles, `a${i}.txt`), TEXT(i));
    const store = new FolderIndexStore(join(root, 'index'));
    expect((await runIndex({ store, embedder, paths: [articles] })).summary.added).toBe(3);

    await rename(articles, join(root, 'unmounted')); // the volume goes away
    const { summary, reader } = await runIndex({ store, embedder, paths: [articles], prune: true });
    expect(summary.removed).toBe(0);
    expect(summary.unreadableFolders).toEqual([articles]);
    expect(summary.issues.map((i) => i.path)).toContain(articles);
    expect(reader?.articleCount).toBe(3);
  });

  it('a broken link to a folder keeps its articles; a subfolder plainly deleted is pruned', async () => {
    const articles = join(root, 'articles');
    const volume = join(root, 'volume');
    await put(join(articles, 'top.txt'), TEXT(1));
    await put(join(articles, 'gone', 'g.txt'), TEXT(2));
    await put(join(volume, 'v1.txt'), TEXT(3));
    await put(join(volume, 'v2.txt'), TEXT(4));
    await symlink(volume, join(articles, 'mounted'));
    const store = new FolderIndexStore(join(root, 'index'));
    // The link leads outside the articles folder: allowed explicitly here.
    const first = await runIndex({ store, embedder, paths: [articles], followExternalSymlinks: true });
    expect(first.summary.added).toBe(4);

    await rename(volume, join(root, 'volume-offline'));
    await rm(join(articles, 'gone'), { recursive: true });
    const { summary, reader } = await runIndex({
      store,
      embedder,
      paths: [articles],
      prune: true,
      followExternalSymlinks: true,
    });
    expect(summary.unreadableFolders).toEqual([join(articles, 'mounted')]);
    expect(summary.removed).toBe(1); // only gone/g, absent from its readable parent's listing
    expect(reader?.articles().map((a) => a.id)).toEqual(['mounted/v1', 'mounted/v2', 'top']);
  });
});

describe('symbolic links', () => {
  it('are not followed outside the articles folder unless asked', async () => {
    const articles = join(root, 'articles');
    const secret = join(root, 'host', 'secret.txt');
    await put(join(articles, 'inside.txt'), TEXT(1));
    await put(secret, 'Host secret\n\nThe database password is hunter2. Do not share it.\n');
    await symlink(secret, join(articles, 'leak.txt'));
    await symlink(join(root, 'host'), join(articles, 'hostdir'));
    await symlink(join(articles, 'inside.txt'), join(articles, 'alias.txt'));

    const safe = await readArticles([articles]);
    // alias.txt (sorted first) and inside.txt are one file inside the folder: read once.
    expect(safe.articles.map((a) => a.id)).toEqual(['alias']);
    expect(safe.articles.some((a) => a.text.includes('hunter2'))).toBe(false);
    const refused = safe.issues.filter((i) => /outside/.test(i.message)).map((i) => i.path);
    expect(refused.sort()).toEqual([join(articles, 'hostdir'), join(articles, 'leak.txt')]);

    const opted = await readArticles([articles], { followExternalSymlinks: true });
    expect(opted.articles.filter((a) => a.text.includes('hunter2')).length).toBe(1);
  });
});
