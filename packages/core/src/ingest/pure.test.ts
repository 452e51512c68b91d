import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { articleFilePath } from './article-file.js';
import { canonicalUrl, identityKeys } from './canonical.js';
import { declaredCharset, decodeBody, headerCharset } from './charset.js';
import { parseFeedsText, validFeedUrl } from './feeds-file.js';
import { parseInterval } from './schedule.js';
import { NEWSRAG_VERSION, userAgent } from './user-agent.js';

describe('canonicalUrl / identityKeys', () => {
  it('drops fragments, tracking parameters and default ports', () => {
    expect(canonicalUrl('HTTPS://News.Example:443/a/b?utm_source=rss&id=4&fbclid=x#top')).toBe(
      'https://news.example/a/b?id=4',
    );
    expect(canonicalUrl('http://x.example/a?utm_medium=feed')).toBe('http://x.example/a');
    expect(canonicalUrl('nope')).toBeUndefined();
  });
  it('keys an item by guid and canonical link', () => {
    expect(identityKeys(' g1 ', 'http://x.example/a#c', 'http://x.example/a')).toEqual([
      'guid:g1',
      'url:http://x.example/a',
    ]);
    expect(identityKeys(undefined, undefined)).toEqual([]);
  });
});

describe('charset', () => {
  it('reads the header and the document declarations', () => {
    expect(headerCharset('text/html; charset="Windows-1251"')).toBe('windows-1251');
    expect(headerCharset('text/html')).toBeUndefined();
    expect(declaredCharset(Buffer.from('<meta charset=koi8-r>'))).toBe('koi8-r');
    expect(
      declaredCharset(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">')),
    ).toBe('iso-8859-2');
    expect(declaredCharset(Buffer.from('<?xml version="1.0" encoding="windows-1252"?>'))).toBe('windows-1252');
  });
  it('decodes legacy code pages; the header wins over the page; unknown names fall back to UTF-8', () => {
    const cp1251 = Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]); // "Привет"
    expect(decodeBody(cp1251, 'text/html; charset=windows-1251')).toBe('Привет');
    expect(decodeBody(Buffer.concat([Buffer.from('<meta charset="windows-1251">'), cp1251]), undefined)).toContain(
      'Привет',
    );
    expect(decodeBody(Buffer.from('héllo'), 'text/plain; charset=no-such-charset')).toBe('héllo');
    expect(decodeBody(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]), 'text/plain; charset=windows-1251')).toBe('hi');
  });
});

describe('feeds file text', () => {
  it('keeps URLs once, without comments and blank lines', () => {
    expect(parseFeedsText('# mine\nhttps://a/rss\n\n  https://b/atom \r\nhttps://a/rss\n')).toEqual([
      'https://a/rss',
      'https://b/atom',
    ]);
  });
  it('accepts only http(s) URLs', () => {
    expect(validFeedUrl(' https://a.example/rss ')).toBe('https://a.example/rss');
    expect(() => validFeedUrl('file:///etc/passwd')).toThrowError(/http:\/\/ or https:\/\//);
    expect(() => validFeedUrl('a feed')).toThrowError(expect.objectContaining({ code: 'BAD_OPTIONS' }));
  });
});

describe('parseInterval', () => {
  it('reads durations', () => {
    expect(parseInterval('15m')).toBe(900_000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(parseInterval('2h30m')).toBe(9_000_000);
    expect(parseInterval('90s')).toBe(90_000);
    expect(parseInterval('5')).toBe(300_000);
  });
  it.each(['', 'soon', '5 minutes', '1s', '8d', '10x'])('refuses %j', (text) => {
    expect(() => parseInterval(text)).toThrowError(expect.objectContaining({ code: 'BAD_OPTIONS' }));
  });
});

describe('userAgent', () => {
  it('names newsrag, the package version and the contact', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(NEWSRAG_VERSION).toBe(pkg.version);
    expect(userAgent('mailto:ops@example.org')).toBe(`newsrag/${pkg.version} (+mailto:ops@example.org)`);
    expect(userAgent('a\r\nInjected: yes')).not.toMatch(/[\r\n]/);
  });
});

describe('articleFilePath', () => {
  it('names the file by host and key hash, never outside the folder or hidden', () => {
    expect(articleFilePath('guid:a', 'https://News.Example/x')).toMatch(/^news\.example\/[0-9a-f]{16}\.json$/);
    for (const link of ['http://../x', 'http://%2e%2e/x', 'http://./x', 'http://.../', 'http://.hidden/']) {
      const p = articleFilePath('guid:a', link);
      expect(p.startsWith('.'), `${link} → ${p}`).toBe(false);
      expect(p.split('/')).toHaveLength(2);
    }
    expect(articleFilePath('guid:a', 'http://[::1]:8080/')).toMatch(/^_{3}1_\//);
  });
});
