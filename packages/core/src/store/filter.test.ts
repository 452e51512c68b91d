import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKnowledgeBase } from '../kb.js';
import { allowedArticles, collectionOf } from './filter.js';

const record = (id: string) => ({ id, path: '', hash: '', length: 1, chunkCount: 1, meta: {} });

describe('collections', () => {
  it('an article belongs to the first folder of its id; one at the root to none', () => {
    expect(collectionOf({ id: 'bbc/tech/001' })).toBe('bbc');
    expect(collectionOf({ id: 'wire/x' })).toBe('wire');
    expect(collectionOf({ id: '000_0b4336e44a9e5dd7' })).toBeNull();
  });

  it('the filter lets through the articles of the listed collections only', () => {
    const articles = [record('bbc/tech/001'), record('wire/x'), record('root-article')];
    expect(Array.from(allowedArticles(articles, { collections: ['wire'] }) ?? [])).toEqual([0, 1, 0]);
    expect(Array.from(allowedArticles(articles, { collections: ['bbc', 'wire'] }) ?? [])).toEqual([1, 1, 0]);
    expect(Array.from(allowedArticles(articles, { collections: [] }) ?? [])).toEqual([0, 0, 0]);
  });

  it('a search limited to a collection finds only its articles (stand-in model, real index)', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'newsrag-collections-'));
    try {
      const articles = path.join(root, 'articles');
      for (const [folder, text] of [
        ['sport', 'The football club won the cup final after a penalty shoot-out in the stadium.'],
        ['business', 'The football club reported record revenue and a new stadium sponsorship deal.'],
      ] as const) {
        await mkdir(path.join(articles, folder), { recursive: true });
        await writeFile(path.join(articles, folder, 'story.txt'), `Football club news\n\n${text}\n`);
      }
      const kb = await openKnowledgeBase({ indexDir: path.join(root, 'index'), model: 'standin' });
      try {
        await kb.index([articles]);
        const all = await kb.search('football club stadium', { k: 5 });
        expect(new Set(all.map((p) => p.articleId))).toEqual(new Set(['sport/story', 'business/story']));
        const sport = await kb.search('football club stadium', { k: 5, filter: { collections: ['sport'] } });
        expect(sport.length).toBeGreaterThan(0);
        expect(sport.every((p) => p.articleId === 'sport/story')).toBe(true);
      } finally {
        await kb.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
