/** readArticles on the BBC corpus from the shared data (`npm run test:corpus`). */
import { readFile } from 'node:fs/promises';
import { BBC_CORPUS, CORPORA_DIR } from '@newsrag/test-support';
import { describe, expect, it } from 'vitest';
import type { Article } from '../types.js';
import { readArticles } from './read.js';

const byId = (articles: Article[]) => new Map(articles.map((a) => [a.id, a]));

describe('readArticles: the BBC corpus', () => {
  it('reads the BBC corpus: ids under the root, headlines as titles, known exact duplicates flagged', async () => {
    const { articles, issues, ignored } = await readArticles([BBC_CORPUS], {
      root: CORPORA_DIR,
    });
    expect(articles).toHaveLength(2225);
    expect(ignored).toBe(3); // DUPLICATES.tsv, SHA256SUMS, SOURCE.md
    const tech = byId(articles).get('bbc/tech/132') as Article;
    expect(tech.meta).toEqual({ title: 'US duo in first spam conviction' });
    expect(articles.every((a) => a.meta.title !== undefined && a.meta.date === undefined)).toBe(true);
    const tsv = await readFile(`${BBC_CORPUS}/DUPLICATES.tsv`, 'utf8');
    const exact = tsv
      .split('\n')
      .filter((l) => l.startsWith('exact\t'))
      .map((l) => l.split('\t'))
      .map(([, a, b]) => [`${BBC_CORPUS}/${b}`, `bbc/${a?.replace(/\.txt$/, '')}`]);
    expect(issues.every((i) => i.code === 'ARTICLE_DUPLICATE')).toBe(true);
    const flagged = issues.map((i) => [i.path, /same text as article "([^"]+)"/.exec(i.message)?.[1]]);
    expect(flagged.sort()).toEqual(exact.sort());
  });
});
