/** HTML is extracted in a worker thread with a time limit; hostile pages become issues quickly. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArticles } from './read.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'newsrag-html-pool-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const PAGE = (n: number) =>
  `<html><head><title>Port traffic</title></head><body><article>${'<p>The harbour counted more ships this week than last. Officials expect the rise to continue.</p>'.repeat(n)}</article></body></html>`;

describe('HTML extraction in a worker', () => {
  it('refuses <div/> and stray-end-tag pages by depth, as ARTICLE_BAD_FORMAT, and reads the rest', async () => {
    await writeFile(path.join(dir, 'a-divs.html'), `<body>${'<div/>'.repeat(6000)}x</body>`);
    await writeFile(path.join(dir, 'b-stray.html'), `<body>${'<div></x></span>'.repeat(3000)}x</body>`);
    await writeFile(path.join(dir, 'c-good.html'), PAGE(5));
    const started = performance.now();
    const { articles, issues } = await readArticles([dir]);
    console.log(`hostile <div/> and stray-end-tag pages refused in ${(performance.now() - started).toFixed(0)} ms`);
    expect(articles.map((a) => a.id)).toEqual(['c-good']);
    expect(issues.map((i) => [path.basename(i.path), i.code])).toEqual([
      ['a-divs.html', 'ARTICLE_BAD_FORMAT'],
      ['b-stray.html', 'ARTICLE_BAD_FORMAT'],
    ]);
    for (const i of issues) expect(i.message).toMatch(/nested 6000 deep|nested 3000 deep/);
  });

  it('gives up a page that takes longer than the limit, and the next page is read by a fresh worker', async () => {
    const slow = path.join(dir, 'slow');
    await rm(slow, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(slow));
    await writeFile(path.join(slow, 'big.html'), PAGE(20_000)); // ~2 MB: seconds in jsdom
    const timedOut = await readArticles([slow], { htmlTimeoutMs: 200 });
    expect(timedOut.articles).toEqual([]);
    expect(timedOut.issues).toHaveLength(1);
    expect(timedOut.issues[0]?.code).toBe('ARTICLE_BAD_FORMAT');
    expect(timedOut.issues[0]?.message).toMatch(/took longer than 0.2 s/);

    await writeFile(path.join(slow, 'big.html'), PAGE(3));
    const after = await readArticles([slow], { htmlTimeoutMs: 30_000 });
    expect(after.issues).toEqual([]);
    expect(after.articles[0]?.meta.title).toBe('Port traffic');
  });
});
