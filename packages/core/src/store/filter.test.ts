import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKnowledgeBase } from '../kb.js';
import { allowedArticles, collectionCounts, collectionOf, languageCounts } from './filter.js';

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

describe('collection field and languages', () => {
  const labelled = (id: string, meta: Record<string, string>) => ({ ...record(id), meta });

  it('a collection field wins over the top folder; without it the folder counts', () => {
    expect(collectionOf({ id: 'bbc/tech/001', meta: { collection: 'tech' } })).toBe('tech');
    expect(collectionOf({ id: 'root-article', meta: { collection: 'wire' } })).toBe('wire');
    expect(collectionOf({ id: 'bbc/tech/001', meta: {} })).toBe('bbc');
    const articles = [labelled('bbc/1', { collection: 'wire' }), record('wire/2'), record('bbc/3')];
    expect(Array.from(allowedArticles(articles, { collections: ['wire'] }) ?? [])).toEqual([1, 1, 0]);
    expect(collectionCounts(articles)).toEqual([
      { name: 'wire', articles: 2 },
      { name: 'bbc', articles: 1 },
    ]);
  });

  it('a language filter keeps those languages and every article that states none', () => {
    const articles = [
      labelled('a', { language: 'fr' }),
      labelled('b', { language: 'en' }),
      record('c'),
      labelled('d', { language: 'de' }),
    ];
    expect(Array.from(allowedArticles(articles, { languages: ['fr'] }) ?? [])).toEqual([1, 0, 1, 0]);
    expect(Array.from(allowedArticles(articles, { languages: ['FR', 'de'] }) ?? [])).toEqual([1, 0, 1, 1]);
    expect(Array.from(allowedArticles(articles, { languages: [] }) ?? [])).toEqual([0, 0, 1, 0]);
    // Both conditions hold together.
    const mixed = [labelled('x/1', { language: 'fr' }), labelled('y/2', { language: 'fr' }), record('x/3')];
    expect(Array.from(allowedArticles(mixed, { languages: ['fr'], collections: ['x'] }) ?? [])).toEqual([1, 0, 1]);
    expect(languageCounts(articles)).toEqual([
      { name: 'de', articles: 1 },
      { name: 'en', articles: 1 },
      { name: 'fr', articles: 1 },
    ]);
  });

  it('kb.collections() and kb.languages() count the indexed articles (real index, stand-in model)', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'newsrag-labels-kb-'));
    try {
      const articles = path.join(root, 'articles');
      await mkdir(path.join(articles, 'desk'), { recursive: true });
      await writeFile(
        path.join(articles, 'desk', 'a.md'),
        '---\ncollection: politique\nlanguage: fr\n---\nLe parlement a voté la loi sur le budget.\n',
      );
      await writeFile(path.join(articles, 'desk', 'b.txt'), 'Parliament passed the budget law on Tuesday.\n');
      await writeFile(path.join(articles, 'c.txt'), 'A story at the root belongs to no collection.\n');
      const kb = await openKnowledgeBase({ indexDir: path.join(root, 'index'), model: 'standin' });
      try {
        expect(kb.collections()).toEqual([]);
        await kb.index([articles]);
        expect(kb.collections()).toEqual([
          { name: 'desk', articles: 1 },
          { name: 'politique', articles: 1 },
        ]);
        expect(kb.languages()).toEqual([{ name: 'fr', articles: 1 }]);
        const fr = await kb.search('budget law parliament', { k: 5, filter: { languages: ['fr'] } });
        expect(new Set(fr.map((p) => p.articleId))).toEqual(new Set(['desk/a', 'desk/b', 'c']));
        const en = await kb.search('budget law parliament', { k: 5, filter: { languages: ['en'] } });
        expect(en.some((p) => p.articleId === 'desk/a')).toBe(false);
      } finally {
        await kb.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
