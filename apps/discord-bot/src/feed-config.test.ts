import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.super-secret-token-value';

describe('feed settings', () => {
  it('defaults to no feeds, core’s feeds file, a 15-minute refresh and no allowed hosts', () => {
    expect(parseConfig({ DISCORD_TOKEN: TOKEN })).toMatchObject({
      feeds: [],
      feedsFile: 'feeds.txt',
      refreshMinutes: 15,
      allowHosts: [],
    });
  });

  it('reads feed lists separated by commas or spaces, fractional minutes and hosts', () => {
    const c = parseConfig({
      DISCORD_TOKEN: TOKEN,
      NEWSRAG_FEEDS: 'https://a.example/rss.xml, https://b.example/atom.xml  http://c.example/feed.json',
      NEWSRAG_REFRESH_MINUTES: '0.5',
      NEWSRAG_ALLOW_HOSTS: '127.0.0.1, intranet.local',
      NEWSRAG_FEEDS_FILE: '/srv/newsrag/feeds.txt',
      NEWSRAG_CONTACT: 'mailto:ops@example.org',
    });
    expect(c.feeds).toEqual(['https://a.example/rss.xml', 'https://b.example/atom.xml', 'http://c.example/feed.json']);
    expect(c).toMatchObject({
      refreshMinutes: 0.5,
      allowHosts: ['127.0.0.1', 'intranet.local'],
      feedsFile: '/srv/newsrag/feeds.txt',
      contact: 'mailto:ops@example.org',
    });
  });

  it.each([
    [{ NEWSRAG_FEEDS: 'ftp://a.example/rss' }, /NEWSRAG_FEEDS must be a list of http\(s\) feed URLs/],
    [{ NEWSRAG_REFRESH_MINUTES: '0' }, /NEWSRAG_REFRESH_MINUTES must be at least 0.05/],
    [{ NEWSRAG_REFRESH_MINUTES: 'often' }, /NEWSRAG_REFRESH_MINUTES/],
    [{ NEWSRAG_ALLOW_HOSTS: 'a b' }, /NEWSRAG_ALLOW_HOSTS/],
  ])('names the bad variable %o', (env, message) => {
    expect(() => parseConfig({ DISCORD_TOKEN: TOKEN, ...env })).toThrowError(message);
  });
});
