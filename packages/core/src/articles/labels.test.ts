import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../types.js';
import { extractHtml } from './html.js';
import { isCollectionName, normalizeLanguage } from './labels.js';
import { readArticles } from './read.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'newsrag-labels-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content: string): Promise<string> {
  const file = path.join(dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

const BODY = 'The central bank raised interest rates on Tuesday. Markets fell sharply in response.';
const byId = (articles: Article[]) => new Map(articles.map((a) => [a.id, a]));

describe('collection names and language tags', () => {
  it('accepts the names the bot accepts and nothing Discord would misread', () => {
    for (const ok of ['bbc', 'weather-desk', 'Wire_2024', 'é'.repeat(100)]) expect(isCollectionName(ok)).toBe(true);
    for (const bad of ['', 'a/b', 'a\\b', 'two words', '<x>', '@here', '#news', '`code`', 'x'.repeat(101)])
      expect(isCollectionName(bad)).toBe(false);
  });

  it('keeps the lower-case primary subtag of a language tag', () => {
    expect(normalizeLanguage('FR')).toBe('fr');
    expect(normalizeLanguage(' en-GB ')).toBe('en');
    expect(normalizeLanguage('pt_BR')).toBe('pt');
    expect(normalizeLanguage('zh-Hant-TW')).toBe('zh');
    for (const bad of ['english', 'e', '12', 'en-', 'fr GB', '']) expect(normalizeLanguage(bad)).toBeUndefined();
  });
});

describe('readArticles: collection and language fields', () => {
  it('reads them from front matter, JSON, JSONL and sidecars', async () => {
    await put('desk/a.md', `---\ncollection: politics\nlanguage: FR-ca\n---\n# Titre\n\n${BODY}\n`);
    await put('desk/b.json', JSON.stringify({ text: `${BODY} (b)`, collection: 'markets', language: 'en' }));
    await put('desk/c.jsonl', `${JSON.stringify({ id: 'x', text: `${BODY} (c)`, language: 'de' })}\n`);
    await put('desk/d.txt', `${BODY} (d)`);
    await put('desk/d.meta.json', JSON.stringify({ collection: 'sidecar-set' }));
    const { articles, issues } = await readArticles([dir]);
    expect(issues).toEqual([]);
    const a = byId(articles);
    expect(a.get('desk/a')?.meta).toMatchObject({ collection: 'politics', language: 'fr' });
    expect(a.get('desk/b/1')?.meta).toMatchObject({ collection: 'markets', language: 'en' });
    expect(a.get('desk/c/x')?.meta).toEqual({ language: 'de' });
    expect(a.get('desk/d')?.meta).toEqual({ collection: 'sidecar-set' });
  });

  it('reports a bad value naming the file and the field, and keeps the article and its other metadata', async () => {
    const md = await put('desk/bad.md', `---\ntitle: Rates rise\ncollection: "a/b"\nlanguage: english\n---\n${BODY}\n`);
    const jsonl = await put(
      'feed.jsonl',
      `${JSON.stringify({ text: `${BODY} (jsonl)`, source: 'Wire', collection: ['x'] })}\n`,
    );
    const { articles, issues } = await readArticles([dir]);
    const a = byId(articles);
    expect(a.get('desk/bad')?.meta).toEqual({ title: 'Rates rise' });
    expect(a.get('feed/1')?.meta).toEqual({ source: 'Wire' });
    const messages = issues.map((i) => `${i.code} ${i.path}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^ARTICLE_BAD_FORMAT ${md}: ${md} front matter: field "collection" "a/b" is not a collection name`,
          ),
        ),
        expect.stringMatching(new RegExp(`${md} front matter: field "language" "english" is not a language tag`)),
        expect.stringMatching(new RegExp(`${jsonl} line 1: field "collection" must be a string, got an array`)),
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('takes the language of an HTML page from <html lang>, ignoring one that is not a tag', async () => {
    const page = (lang: string) =>
      `<!doctype html><html lang="${lang}"><head><title>Les taux montent</title></head><body><article><p>${BODY}</p><p>${BODY}</p></article></body></html>`;
    expect((await extractHtml(page('fr-FR'))).meta.language).toBe('fr');
    expect((await extractHtml(page('not a tag'))).meta.language).toBeUndefined();
  });
});
