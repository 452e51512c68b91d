/**
 * The bot's scheduled feed refresh and /feeds, through the real discord.js client against the
 * local Discord stand-in, with feeds served by a real HTTP server on 127.0.0.1.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CommandInteractionOptions, PERMISSIONS } from '@newsrag/test-support/discord';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, fixtureText, startFeedServer } from '../support/feed-server.js';
import { askOptions, bodyOf, type Harness, startHarness, textOf, waitForCallback, waitForEdit } from './harness.js';

let server: FeedServer;
let h: Harness;
let feedUrl: string;

const NEW_ITEM = (base: string) => `<item>
  <title>Lighthouse on Gull Rock is lit again after forty years</title>
  <link>${base}/news/gull-rock.html</link>
  <guid>courier-2026-0099</guid>
  <content:encoded><![CDATA[<p>The lighthouse on Gull Rock was lit again on Tuesday night, forty years after its lamp was switched off. Volunteers from the harbour spent two summers repairing the tower, and a new solar-powered lantern now flashes white every twelve seconds.</p><p>The volunteers raised 380,000 euros for the work, most of it from a lottery grant. Fishermen said the light would help boats find the narrow channel into the harbour in winter storms, when the radar often fails.</p>]]></content:encoded>
</item>`;

beforeAll(async () => {
  server = await startFeedServer();
  feedUrl = `${server.base}/courier.xml`;
  server.fixture('/courier.xml', 'rss2.xml', 'application/rss+xml');
  server.fixture('/news/library.html', 'library.html', 'text/html; charset=utf-8');
  h = await startHarness({
    env: {
      NEWSRAG_FEEDS: feedUrl,
      NEWSRAG_REFRESH_MINUTES: '0.05',
      NEWSRAG_ALLOW_HOSTS: '127.0.0.1',
      NEWSRAG_FEEDS_FILE: join(process.env.TMPDIR ?? '/tmp', `newsrag-feeds-${process.pid}-${Date.now()}.txt`),
    },
  });
});

afterAll(async () => {
  await h?.close();
  await server?.close();
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await sleep(200);
  }
}

const titles = () => h.kb.articles().map((a) => a.meta.title);

describe('scheduled feed refresh', () => {
  it('picks up a new feed item on its own and answers from it', async () => {
    await waitFor(() => titles().includes('Lakeside council approves the Harbour tram line'), 60_000);
    const rss = fixtureText('rss2.xml', server.base);
    server.serve(
      '/courier.xml',
      rss.replace('</channel>', `${NEW_ITEM(server.base)}</channel>`),
      'application/rss+xml',
    );
    await waitFor(() => titles().includes('Lighthouse on Gull Rock is lit again after forty years'), 60_000);

    const sent = h.standin.sendCommand({
      name: 'ask',
      options: askOptions('How much money did the volunteers raise for the Gull Rock lighthouse?'),
    });
    const embed = bodyOf(await waitForEdit(h.standin, sent, 30_000)).embeds?.[0];
    expect(embed?.description).toContain('380,000 euros');
    expect(h.logs.some((l) => /feed refresh: 1 fetched, \d+ not modified, 1 new/.test(l))).toBe(true);
  });
});

describe('/feeds', () => {
  const feeds = (sub: string, url?: string, permissions = PERMISSIONS.manageGuild) =>
    h.standin.sendCommand({
      name: 'feeds',
      permissions,
      // A subcommand carries its own options; the stand-in passes them through as Discord sends them.
      options: [
        { type: 1, name: sub, options: url ? [{ type: 3, name: 'url', value: url }] : [] },
      ] as unknown as CommandInteractionOptions['options'],
    });
  const content = async (sent: ReturnType<typeof feeds>) => {
    const reply = await waitForCallback(h.standin, sent);
    expect(((reply.body as { data: { flags?: number } }).data.flags ?? 0) & MessageFlags.Ephemeral).toBe(
      MessageFlags.Ephemeral,
    );
    return (reply.body as { data: { content: string } }).data.content;
  };

  it('is refused to members who may not /reindex', async () => {
    expect(await content(feeds('list', undefined, PERMISSIONS.member))).toMatch(/Only the bot admins/);
  });

  it('adds, lists and removes feeds for admins, and refuses private addresses', async () => {
    const extra = `${server.base}/atom.xml`;
    expect(await content(feeds('add', extra))).toMatch(/^Added/);
    expect(await content(feeds('add', extra))).toMatch(/already listed/);
    const list = await content(feeds('list'));
    expect(list).toMatch(/^2 feeds/);
    expect(list).toContain('/atom.xml');
    expect(await content(feeds('add', 'http://169.254.169.254/latest/meta-data/'))).toMatch(/FETCH_BLOCKED.*linkLocal/);
    expect(await content(feeds('add', 'file:///etc/passwd'))).toMatch(/only http and https/);
    expect(await content(feeds('remove', extra))).toMatch(/^Removed/);
    expect(await content(feeds('remove', feedUrl))).toMatch(/NEWSRAG_FEEDS/);
    expect(textOf({ content: await content(feeds('list')) })).toMatch(/^1 feed,/);
  });
});
