/**
 * Article labels and the autocomplete that picks them, end to end through the stand-in with the
 * real discord.js client: a channel limited to languages [fr] is answered from French and
 * unlabelled articles only; a `collection` front matter field puts an article in that collection
 * whatever its folder; `/settings set value:` and `/feeds remove url:` suggest at most 25 valid
 * choices (the stand-in refuses a result over Discord's limits with 400).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandOption, PERMISSIONS, snowflake } from '@newsrag/test-support/discord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askOptions, bodyOf, type Harness, startHarness, textOf, waitForCallback, waitForEdit } from './harness.js';

const guild = {
  id: snowflake(),
  name: 'Rédaction',
  channels: [
    { id: snowflake(), name: 'paris' },
    { id: snowflake(), name: 'harbour' },
    { id: snowflake(), name: 'general' },
  ],
};
const paris = guild.channels[0]?.id as string;
const harbour = guild.channels[1]?.id as string;
const general = guild.channels[2]?.id as string;
const admin = { id: snowflake(), username: 'admin', global_name: 'Admin' };
const member = { id: snowflake(), username: 'reader', global_name: 'Reader' };
const FEEDS = 30;
const longFeed = `https://example.org/${'x'.repeat(100)}.xml`;

let h: Harness;

function put(rel: string, text: string): void {
  const file = join(h.articlesDir, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(async () => {
  const feedsFile = join(process.env.TMPDIR ?? '/tmp', `newsrag-ac-feeds-${process.pid}-${Date.now()}.txt`);
  const feeds = Array.from(
    { length: FEEDS },
    (_, i) => `https://feeds.example.com/desk-${String(i).padStart(2, '0')}.xml`,
  );
  writeFileSync(feedsFile, `${[...feeds, longFeed].join('\n')}\n`);
  h = await startHarness({
    standin: { guilds: [guild] },
    env: { NEWSRAG_COOLDOWN_SECONDS: '0', NEWSRAG_FEEDS_FILE: feedsFile },
  });
  put(
    'desk/keeper-en.md',
    '---\ntitle: Brest lighthouse keeper retires (English wire)\nlanguage: en-GB\n---\nLighthouse keeper Yann Le Goff retired in Brest on Monday after thirty years of service on the Pierres Noires lighthouse, the port authority said.\n',
  );
  put(
    'desk/keeper-fr.md',
    '---\ntitle: Le gardien du phare de Brest prend sa retraite\nlanguage: fr\n---\nYann Le Goff, lighthouse keeper of the Pierres Noires lighthouse near Brest, retired on Monday: le gardien du phare a pris sa retraite après trente ans de service.\n',
  );
  // In the folder `inbox`, but its front matter says it belongs to `harbour`.
  put(
    'inbox/tram.md',
    '---\ntitle: Harbour tram line approved\ncollection: harbour\n---\nThe council approved the harbour tram line on Wednesday; the first trams will run along the quay in 2028.\n',
  );
  // More collections than one autocomplete result may hold.
  for (let i = 0; i < 30; i++)
    put(
      `col-${String(i).padStart(2, '0')}/note.txt`,
      `Desk note ${i}: the archive shelf ${i} was relabelled on Friday.\n`,
    );
  await h.kb.index([h.articlesDir]);
});

afterAll(async () => {
  await h?.close();
});

const str = (name: string, value: string, focused?: true): CommandOption => ({
  name,
  type: 3,
  value,
  ...(focused ? { focused } : {}),
});
const channel = (id: string): CommandOption => ({ name: 'channel', type: 7, value: id });

async function settings(sub: string, options: CommandOption[], channelId: string): Promise<string> {
  const sent = h.standin.sendCommand({
    name: 'settings',
    guildId: guild.id,
    channelId,
    user: admin,
    permissions: PERMISSIONS.manageGuild,
    options: [{ name: sub, type: 1, options }],
    resolved: {
      channels: {
        [channelId]: { id: channelId, type: 0, name: 'c', guild_id: guild.id, permissions: PERMISSIONS.member },
      },
    },
  });
  const call = await waitForCallback(h.standin, sent);
  return (call.body as { data?: { content?: string } }).data?.content ?? '';
}

async function ask(channelId: string, question: string): Promise<string> {
  const sent = h.standin.sendCommand({ name: 'ask', guildId: guild.id, channelId, options: askOptions(question) });
  return textOf(bodyOf(await waitForEdit(h.standin, sent, 30_000)));
}

type Choice = { name: string; value: string };

/** An autocomplete interaction (type 4) for `/<command> <sub>` with `options` (one focused); its choices. */
async function autocomplete(
  command: string,
  sub: string,
  options: CommandOption[],
  who: { user: typeof admin; permissions: string } = { user: admin, permissions: PERMISSIONS.manageGuild },
): Promise<Choice[]> {
  const sent = h.standin.sendInteraction({
    type: 4,
    guildId: guild.id,
    channelId: general,
    user: who.user,
    permissions: who.permissions,
    data: { id: snowflake(), name: command, type: 1, options: [{ name: sub, type: 1, options }] },
  });
  const call = await waitForCallback(h.standin, sent);
  expect(call.status).toBe(204);
  const body = call.body as { type: number; data: { choices: Choice[] } };
  expect(body.type).toBe(8);
  const { choices } = body.data;
  expect(choices.length).toBeLessThanOrEqual(25);
  for (const c of choices) {
    expect(c.name.length).toBeGreaterThanOrEqual(1);
    expect(c.name.length).toBeLessThanOrEqual(100);
    expect(c.value.length).toBeGreaterThanOrEqual(1);
    expect(c.value.length).toBeLessThanOrEqual(100);
  }
  return choices;
}

const KEEPER = 'When did lighthouse keeper Yann Le Goff retire in Brest?';
const EN_TITLE = 'Brest lighthouse keeper retires (English wire)';
const FR_TITLE = 'Le gardien du phare de Brest prend sa retraite';

describe('languages per channel', () => {
  it('a channel limited to [fr] answers from French or unlabelled articles only', async () => {
    expect(h.kb.languages()).toEqual([
      { name: 'en', articles: 1 },
      { name: 'fr', articles: 1 },
    ]);
    const open = await ask(paris, KEEPER);
    expect(open).toContain(EN_TITLE);
    const set = await settings('set', [str('key', 'languages'), str('value', 'FR'), channel(paris)], paris);
    expect(set).toContain('**languages** is now `fr` (and articles that state none)');
    const limited = await ask(paris, KEEPER);
    expect(limited).toContain(FR_TITLE);
    expect(limited).not.toContain(EN_TITLE);
    // The seed articles state no language: they still answer there.
    expect(await ask(paris, 'What dog breed did Kim give Putin?')).toMatch(/Pungsan/);
    // Other channels are not limited.
    expect(await ask(general, KEEPER)).toContain(EN_TITLE);
  });

  it('refuses a value that is not a language tag, naming the setting', async () => {
    expect(await settings('set', [str('key', 'languages'), str('value', 'fr, english')], general)).toMatch(
      /^languages: must be language tags/,
    );
  });
});

describe('the collection field', () => {
  it('puts an article in its collection whatever its folder', async () => {
    const names = h.kb.collections().map((c) => c.name);
    expect(names).toContain('harbour');
    expect(names).not.toContain('inbox');
    await settings('set', [str('key', 'collections'), str('value', 'harbour'), channel(harbour)], harbour);
    const limited = await ask(harbour, 'When will the harbour trams run along the quay?');
    expect(limited).toContain('Harbour tram line approved');
    expect(await ask(harbour, 'What dog breed did Kim give Putin?')).not.toMatch(/Pungsan/);
  });
});

describe('autocomplete', () => {
  const settingValue = (key: string, typed: string, who?: { user: typeof admin; permissions: string }) =>
    autocomplete('settings', 'set', [str('key', key), str('value', typed, true)], who);

  it('suggests collections with article counts, at most 25, completing the last of a list', async () => {
    const all = await settingValue('collections', '');
    expect(all).toHaveLength(25);
    expect(all[0]).toEqual({ name: 'all', value: 'all' });
    const har = await settingValue('collections', 'har');
    expect(har).toEqual([{ name: 'harbour (1 article)', value: 'harbour' }]);
    const listed = await settingValue('collections', 'harbour, col-0');
    expect(listed.length).toBe(10);
    for (const c of listed) expect(c.value).toMatch(/^harbour,col-0\d$/);
    expect(listed[0]?.name).toBe('harbour, col-00 (1 article)');
    // A name already in the list is not offered again.
    expect(await settingValue('collections', 'harbour, harb')).toEqual([]);
  });

  it('suggests languages, and nothing to a member who may not change settings', async () => {
    expect(await settingValue('languages', 'f')).toEqual([{ name: 'fr (1 article)', value: 'fr' }]);
    expect(await settingValue('collections', '', { user: member, permissions: PERMISSIONS.member })).toEqual([]);
  });

  it('suggests the listed feeds for /feeds remove, leaving out URLs too long to be a value', async () => {
    const remove = (typed: string, who?: { user: typeof admin; permissions: string }) =>
      autocomplete('feeds', 'remove', [str('url', typed, true)], who);
    const all = await remove('');
    expect(all).toHaveLength(25);
    expect(all.map((c) => c.value)).not.toContain(longFeed);
    expect(await remove('desk-07')).toEqual([
      { name: 'https://feeds.example.com/desk-07.xml', value: 'https://feeds.example.com/desk-07.xml' },
    ]);
    expect(await remove('', { user: member, permissions: PERMISSIONS.member })).toEqual([]);
    expect(h.standin.violations).toEqual([]);
  });
});
