import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { feedDate, parseFeedDocument } from './feed.js';

const BASE = 'http://feeds.test';
const fixture = (name: string) =>
  readFileSync(new URL(`../../../../tests/fixtures/feeds/${name}`, import.meta.url), 'utf8').replaceAll(
    '{{BASE}}',
    BASE,
  );

describe('parseFeedDocument', () => {
  it('reads RSS 2.0 with content:encoded, guid, pubDate and dc:creator', () => {
    const feed = parseFeedDocument(fixture('rss2.xml'), `${BASE}/rss.xml`);
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('Lakeside Courier');
    expect(feed.items).toHaveLength(2);
    const [tram, library] = feed.items;
    expect(tram).toMatchObject({
      index: 1,
      guid: 'courier-2026-0001',
      link: `${BASE}/news/tram-line.html`,
      title: 'Lakeside council approves the Harbour tram line',
      date: '2026-12-01',
      author: 'Mira Okafor',
      summary: 'The council voted for the tram line.',
    });
    expect(tram?.contentHtml).toContain('240 million euros');
    expect(library?.contentHtml).toBeUndefined();
    expect(feed.problems).toEqual([]);
  });

  it('reads RSS 1.0 / RDF', () => {
    const feed = parseFeedDocument(fixture('rdf.xml'), `${BASE}/rdf.xml`);
    expect(feed.format).toBe('rdf');
    expect(feed.items[0]).toMatchObject({
      guid: `${BASE}/gazette/cheese.html`,
      link: `${BASE}/gazette/cheese.html`,
      date: '2026-11-28',
      author: 'Paul Renaud',
    });
    expect(feed.items[0]?.contentHtml).toContain('Alder Farm');
  });

  it('reads Atom 1.0 (alternate link, html content, author)', () => {
    const feed = parseFeedDocument(fixture('atom.xml'), `${BASE}/atom.xml`);
    expect(feed.format).toBe('atom');
    expect(feed.title).toBe('Northern Observer');
    expect(feed.items[0]).toMatchObject({
      guid: 'urn:uuid:5b1e7a70-0000-4000-8000-000000000002',
      link: `${BASE}/observer/ferry.html`,
      date: '2026-11-29',
      author: 'Ingrid Solberg',
      summary: 'The ferry sails again.',
    });
    expect(feed.items[0]?.contentHtml).toContain('<p>The ferry to the Skerry islands');
  });

  it('reads JSON Feed 1.1', () => {
    const feed = parseFeedDocument(fixture('feed.json'), `${BASE}/feed.json`);
    expect(feed.format).toBe('json');
    expect(feed.items[0]).toMatchObject({
      guid: 'plains-77',
      link: `${BASE}/plains/wind-farm.html`,
      date: '2026-11-27',
      author: 'Daniel Okonkwo',
    });
  });

  it('keeps the good items of a malformed feed and names the bad one', () => {
    const feed = parseFeedDocument(fixture('malformed.xml'), `${BASE}/malformed.xml`);
    expect(feed.items.map((i) => i.guid)).toEqual(['herald-1', 'herald-3']);
    expect(feed.items.map((i) => i.index)).toEqual([1, 3]);
    expect(feed.problems).toHaveLength(1);
    expect(feed.problems[0]).toMatch(/^item 2 \(guid herald-2\): malformed XML/);
  });

  it('resolves relative links against the feed URL', () => {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>/</link><item><title>x</title><link>/a/b.html</link></item></channel></rss>`;
    expect(parseFeedDocument(xml, `${BASE}/sub/rss.xml`).items[0]?.link).toBe(`${BASE}/a/b.html`);
  });

  it('refuses what is not a feed, saying why', () => {
    expect(() => parseFeedDocument('<html><body>hi</body></html>', BASE)).toThrowError(
      /not an RSS, RDF, Atom or JSON feed/,
    );
    expect(() => parseFeedDocument('{"version": 3', BASE)).toThrowError(/not a valid JSON Feed/);
  });
});

describe('feedDate', () => {
  it('reads RFC 822 and RFC 3339 dates', () => {
    expect(feedDate('Tue, 01 Dec 2026 23:30:00 GMT')).toBe('2026-12-01');
    expect(feedDate('2026-11-29T08:00:00Z')).toBe('2026-11-29');
    expect(feedDate('soon')).toBeUndefined();
  });
});
