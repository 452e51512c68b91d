/**
 * ingest() end to end against a real HTTP server on 127.0.0.1 serving the project's feed
 * fixtures: every format, summary-only items, 304s, changed ETags, charsets, malformed
 * feeds, duplicates, the address policy, and incremental indexing (stand-in model: plumbing).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type IngestOptions, ingest, openKnowledgeBase } from '@newsrag/core';
import { OTHER_STORY_PARAGRAPHS, OTHER_STORY_TITLE, trimmed30, WIRE_PARAGRAPHS } from '@newsrag/test-support';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, fixtureText, startFeedServer } from '../support/feed-server.js';

let server: FeedServer;
const dirs: string[] = [];

const tempDir = async () => {
  const d = await mkdtemp(path.join(tmpdir(), 'newsrag-ingest-'));
  dirs.push(d);
  return d;
};

const fast = { allowHosts: ['127.0.0.1'], perHostDelayMs: 0, totalTimeoutMs: 5000 } satisfies Partial<IngestOptions>;

async function articleFiles(dir: string): Promise<Array<Record<string, string>>> {
  const out: Array<Record<string, string>> = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.')) {
      out.push(JSON.parse(await readFile(path.join(entry.parentPath, entry.name), 'utf8')));
    }
  }
  return out;
}

beforeAll(async () => {
  server = await startFeedServer();
  server.fixture('/rss.xml', 'rss2.xml', 'application/rss+xml; charset=utf-8');
  server.fixture('/rdf.xml', 'rdf.xml', 'application/rdf+xml');
  server.fixture('/atom.xml', 'atom.xml', 'application/atom+xml');
  server.fixture('/feed.json', 'feed.json', 'application/feed+json');
  server.fixture('/malformed.xml', 'malformed.xml', 'application/rss+xml');
  server.fixture('/dups.xml', 'dup-guids.xml', 'application/rss+xml');
  server.fixture('/news/library.html', 'library.html', 'text/html; charset=utf-8');
  // A Russian page kept as UTF-8 in the repo and served encoded as windows-1251, twice:
  // the charset named only by its <meta charset>, and only by the Content-Type header.
  const cp1251 = fixtureText('russian-page.html', server.base);
  expect(cp1251).toContain('<meta charset="windows-1251">');
  server.serve('/ru/meta.html', iconv.encode(cp1251, 'win1251'), 'text/html');
  server.serve(
    '/ru/header.html',
    iconv.encode(cp1251.replace('<meta charset="windows-1251">', ''), 'win1251'),
    'text/html; charset=windows-1251',
  );
});

afterAll(async () => {
  await server?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('ingest', () => {
  it('reads every feed format and fetches the page of a summary-only item', async () => {
    const dir = await tempDir();
    const feeds = ['/rss.xml', '/rdf.xml', '/atom.xml', '/feed.json'].map((p) => server.base + p);
    const s = await ingest({ ...fast, feeds, articlesDir: dir });
    expect(s.issues).toEqual([]);
    expect(s).toMatchObject({ fetched: 5, new: 5, updated: 0, unchanged: 0, notModified: 0, duplicates: [] });
    const files = await articleFiles(dir);
    const byTitle = new Map(files.map((f) => [f.title, f]));
    expect([...byTitle.keys()].sort()).toEqual([
      'Ferry to the Skerry islands returns after a winter pause',
      'Lakeside council approves the Harbour tram line',
      'Lakeside library reopens after flood repairs',
      'Valley cheese makers win gold in Lyon',
      'Wind farm on the Eastern Plains starts producing power',
    ]);
    const tram = byTitle.get('Lakeside council approves the Harbour tram line');
    expect(tram).toMatchObject({
      date: '2026-12-01',
      author: 'Mira Okafor',
      source: 'Lakeside Courier',
      url: `${server.base}/news/tram-line.html`,
      feed: `${server.base}/rss.xml`,
      guid: 'courier-2026-0001',
    });
    expect(tram?.text).toContain('240 million euros');
    expect(Number.isNaN(Date.parse(tram?.fetchedAt ?? ''))).toBe(false);
    // The tram item carried its full text: its page was never requested.
    expect(server.hits.get('/news/tram-line.html')).toBeUndefined();
    // The library item had only a teaser: its page was fetched and read (JSON-LD author).
    const library = byTitle.get('Lakeside library reopens after flood repairs');
    expect(library?.text).toContain('41,000 books');
    expect(library?.text).not.toContain('all rights reserved');
    expect(library).toMatchObject({
      author: 'Tomas Lindqvist',
      date: '2026-11-30',
      url: `${server.base}/news/library.html`,
      sourceUrl: `${server.base}/news/library.html`,
    });
  });

  it('costs only 304s on an unchanged second run, and indexes nothing again', async () => {
    const dir = await tempDir();
    const indexDir = await tempDir();
    const kb = await openKnowledgeBase({ indexDir, model: 'standin' });
    try {
      const feeds = [`${server.base}/rss.xml`, `${server.base}/atom.xml`];
      const first = await ingest({ ...fast, feeds, articlesDir: dir, kb });
      expect(first.new).toBe(3);
      expect(first.index?.added).toBe(3);
      expect(first.index?.chunksEmbedded).toBeGreaterThan(0);
      const pageHits = server.hits.get('/news/library.html');
      const second = await ingest({ ...fast, feeds, articlesDir: dir, kb });
      expect(second).toMatchObject({ fetched: 0, notModified: 2, new: 0, updated: 0, unchanged: 0, issues: [] });
      expect(second.index?.chunksEmbedded).toBe(0);
      expect(second.index?.unchanged).toBe(3);
      expect(server.hits.get('/news/library.html')).toBe(pageHits);
    } finally {
      await kb.close();
    }
  });

  it('after a changed ETag, reads the feed again: new items are fetched, known pages answer 304', async () => {
    const dir = await tempDir();
    const rss = fixtureText('rss2.xml', server.base);
    server.serve('/changing.xml', rss, 'application/rss+xml');
    await ingest({ ...fast, feeds: [`${server.base}/changing.xml`], articlesDir: dir });
    const extra = `<item><title>Lakeside zoo welcomes twin snow leopards</title><link>${server.base}/news/zoo.html</link><guid>courier-2026-0003</guid><content:encoded><![CDATA[<p>${'Two snow leopard cubs were born at the Lakeside zoo on Sunday, the first twins of their kind in the zoo’s history. '.repeat(6)}</p>]]></content:encoded></item>`;
    server.serve('/changing.xml', rss.replace('</channel>', `${extra}</channel>`), 'application/rss+xml');
    const s = await ingest({ ...fast, feeds: [`${server.base}/changing.xml`], articlesDir: dir });
    expect(s).toMatchObject({ fetched: 1, new: 1, unchanged: 1, notModified: 1, updated: 0, issues: [] });
    expect((await articleFiles(dir)).map((f) => f.title)).toContain('Lakeside zoo welcomes twin snow leopards');
  });

  it('rewrites an item in place when its content changes', async () => {
    const dir = await tempDir();
    const rss = fixtureText('rss2.xml', server.base);
    server.serve('/edited.xml', rss, 'application/rss+xml');
    await ingest({ ...fast, feeds: [`${server.base}/edited.xml`], articlesDir: dir });
    server.serve('/edited.xml', rss.replace('31 to 9', '30 to 10'), 'application/rss+xml');
    const s = await ingest({ ...fast, feeds: [`${server.base}/edited.xml`], articlesDir: dir });
    expect(s).toMatchObject({ new: 0, updated: 1 });
    const files = await articleFiles(dir);
    expect(files).toHaveLength(2);
    expect(files.find((f) => f.guid === 'courier-2026-0001')?.text).toContain('30 to 10');
  });

  it('decodes a windows-1251 page by <meta charset> and by the Content-Type header', async () => {
    const dir = await tempDir();
    const s = await ingest({
      ...fast,
      urls: [`${server.base}/ru/meta.html`, `${server.base}/ru/header.html`],
      articlesDir: dir,
    });
    expect(s.issues).toEqual([]);
    const files = await articleFiles(dir);
    expect(files).toHaveLength(2);
    for (const f of files) {
      expect(f.title).toBe('Новый мост через Волгу открыт');
      expect(f.text).toContain('18 миллиардов рублей');
    }
  });

  it('keeps the good items of a malformed feed and reports the bad one with feed and item', async () => {
    const dir = await tempDir();
    const s = await ingest({ ...fast, feeds: [`${server.base}/malformed.xml`], articlesDir: dir });
    expect(s.new).toBe(2);
    expect(s.issues).toHaveLength(1);
    expect(s.issues[0]).toMatchObject({ code: 'FEED_BAD_FORMAT', url: `${server.base}/malformed.xml` });
    expect(s.issues[0]?.message).toContain('item 2 (guid herald-2)');
  });

  it('stores a duplicated GUID once and reports the duplicate', async () => {
    const dir = await tempDir();
    const s = await ingest({ ...fast, feeds: [`${server.base}/dups.xml`], articlesDir: dir });
    expect(s.new).toBe(1);
    expect(await articleFiles(dir)).toHaveLength(1);
    expect(s.duplicates).toHaveLength(1);
    expect(s.duplicates[0]?.kind).toBe('same-item');
    expect(s.duplicates[0]?.articles).toHaveLength(2);
    expect(s.duplicates[0]?.canonical).toMatch(/^127\.0\.0\.1\/[0-9a-f]{16}\/1$/);
    expect(s.duplicates[0]?.articles[1]).toContain('item 2 (guid echo-glacier)');
  });

  it('groups one wire story printed by three outlets under different headlines, and not a different story', async () => {
    const outlet = (name: string, title: string, paragraphs: readonly string[]) =>
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: name,
        items: [
          {
            id: `${name}-pier`,
            url: `${server.base}/${name}/pier.html`,
            title,
            date_published: '2026-03-02T09:00:00Z',
            content_text: paragraphs.join('\n\n'),
          },
        ],
      });
    const reordered = [...WIRE_PARAGRAPHS.slice(3), ...WIRE_PARAGRAPHS.slice(0, 3)];
    server.serve(
      '/gazette/feed.json',
      outlet('gazette', 'Port Alder to close north pier', WIRE_PARAGRAPHS),
      'application/feed+json',
    );
    server.serve(
      '/herald/feed.json',
      outlet('herald', 'Cracked supports shut ferry pier', trimmed30(WIRE_PARAGRAPHS)),
      'application/feed+json',
    );
    server.serve(
      '/courier/feed.json',
      outlet('courier', 'Islands ferries move as pier closes', reordered),
      'application/feed+json',
    );
    server.serve(
      '/weekly/feed.json',
      outlet('weekly', OTHER_STORY_TITLE, OTHER_STORY_PARAGRAPHS),
      'application/feed+json',
    );
    const dir = await tempDir();
    const kb = await openKnowledgeBase({ indexDir: path.join(dir, '.index'), model: 'standin' });
    try {
      const feeds = ['gazette', 'herald', 'courier', 'weekly'].map((o) => `${server.base}/${o}/feed.json`);
      const s = await ingest({ ...fast, feeds, articlesDir: path.join(dir, 'articles'), kb });
      expect(s.issues).toEqual([]);
      expect(s.new).toBe(4);
      const near = s.duplicates.filter((d) => d.kind === 'near-duplicate');
      expect(near).toHaveLength(1);
      expect(near[0]?.articles).toHaveLength(3);
      const titles = new Map(kb.articles().map((a) => [a.id, a.meta.title]));
      expect(near[0]?.articles.map((id) => titles.get(id)).sort()).toEqual([
        'Cracked supports shut ferry pier',
        'Islands ferries move as pier closes',
        'Port Alder to close north pier',
      ]);
      expect(near[0]?.articles).toContain(near[0]?.canonical);
    } finally {
      await kb.close();
    }
  });

  it('refuses an item linking to 127.0.0.1 when only the feed host is allowed, and goes on with the rest', async () => {
    const dir = await tempDir();
    const localhostBase = server.base.replace('127.0.0.1', 'localhost');
    const hits = server.hits.get('/news/library.html') ?? 0;
    const s = await ingest({
      ...fast,
      allowHosts: ['localhost'],
      // The feed's links point at 127.0.0.1 (its {{BASE}}), which is not allowed.
      feeds: [`${localhostBase}/rss.xml`, `${localhostBase}/missing.xml`],
      articlesDir: dir,
    });
    expect(s.new).toBe(1); // the tram item, whose full text is in the feed
    const blocked = s.issues.find((i) => i.code === 'FETCH_BLOCKED');
    expect(blocked).toMatchObject({ item: { index: 2, guid: 'courier-2026-0002' } });
    expect(blocked?.message).toMatch(/127\.0\.0\.1.*loopback/);
    expect(server.hits.get('/news/library.html') ?? 0).toBe(hits);
    const missing = s.issues.find((i) => i.url.endsWith('/missing.xml'));
    expect(missing).toMatchObject({ code: 'FETCH_FAILED', message: expect.stringContaining('HTTP 404') });
  });
});
