/**
 * The per-channel `collections` setting end to end through the stand-in with the real discord.js
 * client: a channel limited to one collection (a top folder of the articles) is answered from it
 * alone; the server's other channels still search every article.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandOption, PERMISSIONS, snowflake } from '@newsrag/test-support/discord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askOptions, bodyOf, type Harness, startHarness, textOf, waitForCallback, waitForEdit } from './harness.js';

const guild = {
  id: snowflake(),
  name: 'Desk',
  channels: [
    { id: snowflake(), name: 'weather' },
    { id: snowflake(), name: 'general' },
  ],
};
const weather = guild.channels[0]?.id as string;
const general = guild.channels[1]?.id as string;
const admin = { id: snowflake(), username: 'admin', global_name: 'Admin' };
const QUESTION = 'What dog breed did Kim give Putin?';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ standin: { guilds: [guild] }, env: { NEWSRAG_COOLDOWN_SECONDS: '0' } });
  mkdirSync(join(h.articlesDir, 'weather-desk'));
  writeFileSync(
    join(h.articlesDir, 'weather-desk', 'friday.txt'),
    'Rain on Friday\n\nHeavy rain is expected across the capital on Friday, forecasters said, with dogs kept indoors.\n',
  );
  await h.kb.index([h.articlesDir]);
});

afterAll(async () => {
  await h?.close();
});

const str = (name: string, value: string): CommandOption => ({ name, type: 3, value });

async function settings(sub: string, options: CommandOption[]): Promise<string> {
  const sent = h.standin.sendCommand({
    name: 'settings',
    guildId: guild.id,
    channelId: weather,
    user: admin,
    permissions: PERMISSIONS.manageGuild,
    options: [{ name: sub, type: 1, options }],
    resolved: {
      channels: {
        [weather]: { id: weather, type: 0, name: 'weather', guild_id: guild.id, permissions: PERMISSIONS.member },
      },
    },
  });
  const call = await waitForCallback(h.standin, sent);
  return (call.body as { data?: { content?: string } }).data?.content ?? '';
}

async function ask(channelId: string): Promise<string> {
  const sent = h.standin.sendCommand({ name: 'ask', guildId: guild.id, channelId, options: askOptions(QUESTION) });
  return textOf(bodyOf(await waitForEdit(h.standin, sent, 30_000)));
}

describe('collections per channel', () => {
  it('a channel limited to a collection searches only its articles', async () => {
    expect(await ask(weather)).toMatch(/Pungsan/);
    const set = await settings('set', [
      str('key', 'collections'),
      str('value', 'weather-desk'),
      { name: 'channel', type: 7, value: weather },
    ]);
    expect(set).toContain('**collections** is now `weather-desk`');
    const limited = await ask(weather);
    expect(limited).not.toMatch(/Pungsan/);
    expect(limited).not.toContain('000_0b4336e44a9e5dd7');
    expect(await ask(general)).toMatch(/Pungsan/);
    const view = await settings('view', [{ name: 'channel', type: 7, value: weather }]);
    expect(view).toMatch(/\*\*collections\*\*: `weather-desk` —/);
  });

  it('rejects a value that is not a list of folder names, naming the setting', async () => {
    expect(await settings('set', [str('key', 'collections'), str('value', 'a/b')])).toMatch(
      /^collections: must be collection names/,
    );
  });
});
