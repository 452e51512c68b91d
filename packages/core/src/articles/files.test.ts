/** Sidecars are read with the articles' limits: a size cap and regular files only (a FIFO must not hang a run). */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArticles } from './read.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'newsrag-sidecar-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BODY = 'Harbour report\n\nThe harbour counted more ships this week. Officials expect the rise to continue.\n';

describe('sidecars and special files', () => {
  it('a FIFO sidecar is reported at once and the article is read without it', async () => {
    await writeFile(path.join(dir, 'a.txt'), BODY);
    execFileSync('mkfifo', [path.join(dir, 'a.meta.json')]);
    const { articles, issues } = await readArticles([dir]);
    expect(articles.map((a) => a.id)).toEqual(['a']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'ARTICLE_UNREADABLE', path: path.join(dir, 'a.meta.json') });
    expect(issues[0]?.message).toMatch(/not a regular file/);
  });

  it('a FIFO named explicitly as an article is reported, not waited on', async () => {
    const fifo = path.join(dir, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    const { issues } = await readArticles([fifo]);
    expect(issues.map((i) => [i.code, /not a regular file/.test(i.message)])).toEqual([['ARTICLE_UNREADABLE', true]]);
  });

  it('an oversized sidecar is refused by the same limit as articles', async () => {
    const sub = await mkdtemp(path.join(dir, 'big-'));
    await writeFile(path.join(sub, 'b.txt'), BODY);
    await writeFile(path.join(sub, 'b.meta.json'), JSON.stringify({ title: 'x'.repeat(5000) }));
    const { articles, issues } = await readArticles([sub], { maxBytes: 1000 });
    expect(articles[0]?.meta.title).toBe('Harbour report');
    expect(issues.map((i) => i.code)).toEqual(['ARTICLE_TOO_LARGE']);
  });
});
