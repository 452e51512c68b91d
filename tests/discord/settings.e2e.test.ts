/**
 * `/settings` end to end through the stand-in with the real discord.js client (stand-in model:
 * plumbing, not answer quality): per-server isolation, per-channel values, a non-admin
 * refused, validation, the change log and the store's permissions.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CommandOption,
  PERMISSIONS,
  type RestCall,
  type SentInteraction,
  snowflake,
} from '@newsrag/test-support/discord';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askOptions, bodyOf, type Harness, startHarness, textOf, waitForCallback, waitForEdit } from './harness.js';

const guildA = {
  id: snowflake(),
  name: 'Desk A',
  channels: [
    { id: snowflake(), name: 'news' },
    { id: snowflake(), name: 'chat' },
  ],
};
const guildB = { id: snowflake(), name: 'Desk B', channels: [{ id: snowflake(), name: 'general' }] };
const channelA = guildA.channels[0]?.id as string;
const chatA = guildA.channels[1]?.id as string;
const channelB = guildB.channels[0]?.id as string;
const admin = { id: snowflake(), username: 'admin', global_name: 'Admin' };
const member = { id: snowflake(), username: 'member', global_name: 'Member' };

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ standin: { guilds: [guildA, guildB] }, env: { NEWSRAG_COOLDOWN_SECONDS: '0' } });
});

afterAll(async () => {
  await h?.close();
});

const str = (name: string, value: string): CommandOption => ({ name, type: 3, value });
const channelOption = (id: string): CommandOption => ({ name: 'channel', type: 7, value: id });
const resolvedChannel = (id: string, guildId: string) => ({
  channels: { [id]: { id, type: 0, name: 'news', guild_id: guildId, permissions: PERMISSIONS.member } },
});

/** Sends `/settings <sub> …` and returns the text of its (ephemeral) reply. */
async function settings(
  sub: string,
  options: CommandOption[],
  where: {
    guildId: string;
    channelId: string;
    permissions?: string;
    user?: typeof admin;
    resolved?: Record<string, unknown>;
  },
): Promise<{ text: string; ephemeral: boolean; call: RestCall }> {
  const sent = h.standin.sendCommand({
    name: 'settings',
    guildId: where.guildId,
    channelId: where.channelId,
    user: where.user ?? admin,
    permissions: where.permissions ?? PERMISSIONS.manageGuild,
    options: [{ name: sub, type: 1, options }],
    ...(where.resolved ? { resolved: where.resolved } : {}),
  });
  const call = await waitForCallback(h.standin, sent);
  const data = (call.body as { data?: { content?: string; flags?: number } }).data;
  return { text: data?.content ?? '', ephemeral: ((data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0, call };
}

async function ask(
  guildId: string,
  channelId: string,
  question: string,
): Promise<{ sent: SentInteraction; ephemeral: boolean }> {
  const sent = h.standin.sendCommand({ name: 'ask', guildId, channelId, user: member, options: askOptions(question) });
  const callback = await waitForCallback(h.standin, sent);
  await waitForEdit(h.standin, sent);
  const flags = (callback.body as { data?: { flags?: number } }).data?.flags ?? 0;
  return { sent, ephemeral: (flags & MessageFlags.Ephemeral) !== 0 };
}

describe('/settings', () => {
  it('refuses a member without Manage Server, ephemerally, and changes nothing', async () => {
    const r = await settings('set', [str('key', 'privateByDefault'), str('value', 'true')], {
      guildId: guildA.id,
      channelId: channelA,
      user: member,
      permissions: PERMISSIONS.member,
    });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toMatch(/Only members with the Manage Server permission/);
    expect((await ask(guildA.id, channelA, 'What animal did Kim Jong Un feed carrots to?')).ephemeral).toBe(false);
  });

  it('a server setting applies in that server only: private by default in A, public in B', async () => {
    const r = await settings('set', [str('key', 'privateByDefault'), str('value', 'yes')], {
      guildId: guildA.id,
      channelId: channelA,
    });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('**privateByDefault** is now true');
    expect((await ask(guildA.id, channelA, 'What animal did Kim Jong Un feed carrots to?')).ephemeral).toBe(true);
    expect((await ask(guildB.id, channelB, 'What animal did Kim Jong Un feed carrots to?')).ephemeral).toBe(false);
    const viewB = await settings('view', [], { guildId: guildB.id, channelId: channelB });
    expect(viewB.text).toMatch(/\*\*privateByDefault\*\*: false \(default\)/);
    const viewA = await settings('view', [], { guildId: guildA.id, channelId: channelA });
    expect(viewA.text).toMatch(/\*\*privateByDefault\*\*: true —/);
  });

  it('a channel value overrides the server one in that channel only', async () => {
    await settings('set', [str('key', 'privateByDefault'), str('value', 'false'), channelOption(chatA)], {
      guildId: guildA.id,
      channelId: channelA,
      resolved: resolvedChannel(chatA, guildA.id),
    });
    expect((await ask(guildA.id, chatA, 'What dog breed did Kim give Putin?')).ephemeral).toBe(false);
    expect((await ask(guildA.id, channelA, 'What dog breed did Kim give Putin?')).ephemeral).toBe(true);
  });

  it('answerInThread makes a mention answer open a thread; mentionChannels limits where mentions are answered', async () => {
    await settings('set', [str('key', 'answerInThread'), str('value', 'on')], {
      guildId: guildB.id,
      channelId: channelB,
    });
    const m = h.standin.sendMessage({
      guildId: guildB.id,
      channelId: channelB,
      content: `<@${h.standin.botUser.id}> What did Putin and Kim sign?`,
    });
    const start = await h.standin.waitFor((c) => c.method === 'POST' && c.path.endsWith('/threads'), 30_000);
    expect(start.status).toBe(201);
    expect(start.path).toMatch(new RegExp(`^/channels/${channelB}/messages/\\d+/threads$`));
    expect(m.id).not.toBe('');

    const only = await settings('set', [str('key', 'mentionChannels'), str('value', `<#${channelA}>`)], {
      guildId: guildA.id,
      channelId: channelA,
    });
    expect(only.text).toContain(`<#${channelA}>`);
    const ignored = h.standin.sendMessage({
      guildId: guildA.id,
      channelId: chatA,
      content: `<@${h.standin.botUser.id}> What did Putin and Kim sign?`,
    });
    const answered = h.standin.sendMessage({
      guildId: guildA.id,
      channelId: channelA,
      content: `<@${h.standin.botUser.id}> What did Putin and Kim sign?`,
    });
    const reply = await h.standin.waitFor(
      (c) => c.method === 'POST' && c.path === `/channels/${channelA}/messages` && textOf(bodyOf(c)).length > 0,
      30_000,
    );
    expect((reply.body as { message_reference?: { message_id?: string } }).message_reference?.message_id).toBe(
      answered.id,
    );
    expect(
      h.standin.calls.some(
        (c) =>
          (c.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === ignored.id,
      ),
    ).toBe(false);
  });

  it('rejects invalid values naming the setting, and a server setting given a channel', async () => {
    const bad = await settings('set', [str('key', 'sources'), str('value', '11')], {
      guildId: guildA.id,
      channelId: channelA,
    });
    expect(bad.text).toMatch(/^sources: .*<=10 \(sources listed under an answer \(1-10\)\)/);
    const scoped = await settings('set', [str('key', 'mentionChannels'), str('value', 'all'), channelOption(chatA)], {
      guildId: guildA.id,
      channelId: channelA,
      resolved: resolvedChannel(chatA, guildA.id),
    });
    expect(scoped.text).toMatch(/server setting/);
  });

  it('reset goes back to the defaults; every change is logged with who and when; the files are owner-only', async () => {
    const r = await settings('reset', [], { guildId: guildA.id, channelId: channelA });
    expect(r.text).toMatch(/Every setting reset/);
    expect((await ask(guildA.id, channelA, 'What dog breed did Kim give Putin?')).ephemeral).toBe(false);
    const file = join(h.config.indexDir, 'settings.json');
    const log = join(h.config.indexDir, 'settings-changes.jsonl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(log).mode & 0o777).toBe(0o600);
    const changes = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The refused and the invalid attempts changed nothing and are not in the log.
    expect(
      changes.map((c) => `${c.guildId === guildA.id ? 'A' : 'B'} ${c.action} ${c.key} ${c.channelId ?? '-'}`),
    ).toEqual([
      'A set privateByDefault -',
      `A set privateByDefault ${chatA}`,
      'B set answerInThread -',
      'A set mentionChannels -',
      'A reset null -',
    ]);
    for (const c of changes) {
      expect(c.userId).toBe(admin.id);
      expect(Date.parse(c.time)).not.toBeNaN();
    }
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.guilds[guildA.id]).toEqual({ guild: {}, channels: {} });
    expect(stored.guilds[guildB.id].guild).toEqual({ answerInThread: true });
  });
});
