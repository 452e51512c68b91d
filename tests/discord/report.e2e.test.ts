/**
 * `/report` end to end through the stand-in with the real discord.js client (stand-in model:
 * plumbing; the clustering's quality is checked with the real model in core's report test):
 * public questions, a private one, an unanswerable question asked twice in other words, a
 * mention, feedback clicks, then the report of an admin: the counts, one unanswered cluster, and
 * no user id, no private question, no guild or channel id. A member is refused; another server's
 * admin sees none of this server's questions.
 */
import { readFileSync, statSync } from 'node:fs';
import { PERMISSIONS, type SentInteraction, snowflake } from '@newsrag/test-support/discord';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askOptions, bodyOf, type Harness, startHarness, textOf, waitForCallback, waitForEdit } from './harness.js';

const guildA = { id: snowflake(), name: 'Desk A', channels: [{ id: snowflake(), name: 'news' }] };
const guildB = { id: snowflake(), name: 'Desk B', channels: [{ id: snowflake(), name: 'general' }] };
const channelA = guildA.channels[0]?.id as string;
const channelB = guildB.channels[0]?.id as string;
const person = (name: string) => ({ id: snowflake(), username: name, global_name: name });
const admin = person('admin');
const askers = [person('ann'), person('bob'), person('cai'), person('dee'), person('eve')];
const voters = [person('v1'), person('v2'), person('v3')];
const PRIVATE_QUESTION = 'How many portraits of Putin were hung around Pyongyang?';
const UNANSWERABLE = [
  'What did Refco say about its bankruptcy filing?',
  'What did the Refco executives say about the bankruptcy?',
];

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ standin: { guilds: [guildA, guildB] }, env: { NEWSRAG_COOLDOWN_SECONDS: '0' } });
});

afterAll(async () => {
  await h?.close();
});

/** Asks in server A's channel; returns the edited answer's body. */
async function ask(question: string, user: (typeof askers)[number], extra: { private?: boolean } = {}) {
  const sent = h.standin.sendCommand({
    name: 'ask',
    guildId: guildA.id,
    channelId: channelA,
    user,
    options: askOptions(question, extra),
  });
  return bodyOf(await waitForEdit(h.standin, sent, 30_000));
}

const buttonId = (body: ReturnType<typeof bodyOf>, prefix: string) =>
  body.components?.flatMap((r) => r.components).find((c) => c.custom_id?.startsWith(prefix))?.custom_id ?? '';

async function report(where: { guildId: string; channelId: string; permissions: string; user: typeof admin }) {
  const sent: SentInteraction = h.standin.sendCommand({ name: 'report', ...where });
  const callback = await waitForCallback(h.standin, sent);
  return { sent, callback };
}

describe('/report', () => {
  it('gives an admin the counts, the unanswered cluster and the feedback, with nothing personal', async () => {
    const dogs = await ask('What dog breed did Kim give Putin?', askers[0] as typeof admin);
    const sign = await ask('What did Putin and Kim sign?', askers[1] as typeof admin);
    const priv = await ask(PRIVATE_QUESTION, askers[2] as typeof admin, { private: true });
    const refco1 = await ask(UNANSWERABLE[0] as string, askers[3] as typeof admin);
    const refco2 = await ask(UNANSWERABLE[1] as string, askers[4] as typeof admin);
    expect(textOf(refco1)).not.toMatch(/\[1\]/);
    expect(textOf(refco2)).not.toMatch(/\[1\]/);

    const mention = h.standin.sendMessage({
      guildId: guildA.id,
      channelId: channelA,
      author: askers[0],
      content: `<@${h.standin.botUser.id}> Where did Kim and Putin meet in Russia?`,
    });
    await h.standin.waitFor(
      (c) =>
        c.method === 'POST' &&
        (c.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === mention.id,
      30_000,
    );

    // Votes: two helpful on public answers, one not helpful on the first unanswerable one.
    const clicks = [
      { id: buttonId(dogs, 'fb:up:'), user: voters[0] },
      { id: buttonId(sign, 'fb:up:'), user: voters[1] },
      { id: buttonId(refco1, 'fb:down:'), user: voters[2] },
      // A vote on the private answer: its question stays out, and it is no public answer's vote.
      { id: buttonId(priv, 'fb:up:'), user: voters[0] },
    ];
    for (const [i, c] of clicks.entries()) {
      expect(c.id).not.toBe('');
      // Different users, or the button cooldown would refuse the click; the last voter waits it out.
      if (i === 3) await new Promise((r) => setTimeout(r, 2100));
      await waitForCallback(
        h.standin,
        h.standin.sendButton({ customId: c.id, user: c.user, guildId: guildA.id, channelId: channelA }),
      );
    }

    const log = readFileSync(h.config.questionLog, 'utf8');
    expect(statSync(h.config.questionLog).mode & 0o777).toBe(0o600);
    expect(log.trim().split('\n'), log).toHaveLength(5);
    expect(log).not.toContain('portraits');
    for (const u of [...askers, ...voters]) expect(log).not.toContain(u.id);

    const { sent, callback } = await report({
      guildId: guildA.id,
      channelId: channelA,
      permissions: PERMISSIONS.manageGuild,
      user: admin,
    });
    expect(((callback.body as { data?: { flags?: number } }).data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(
      MessageFlags.Ephemeral,
    );
    const body = bodyOf(await waitForEdit(h.standin, sent, 30_000));
    const text = textOf(body);
    const today = new Date().toISOString().slice(0, 10);
    expect(text).toContain('**5** questions, **2** unanswered (40%)');
    expect(text).toContain(`${today}: 5 asked, 2 unanswered`);
    expect(text).toContain('Feedback: 2 helpful, 1 not helpful (66.7% helpful)');
    // The two wordings of the unanswerable question are one cluster, asked twice.
    const cluster = body.embeds?.[0]?.fields?.find((f) => f.name === 'Most asked unanswered questions')?.value ?? '';
    expect(cluster.split('\n')).toHaveLength(1);
    expect(cluster).toMatch(
      /^\*\*2×\*\* “What did Refco say about its bankruptcy filing\?” \(also: “What did the Refco executives say about the bankruptcy\?”\)$/,
    );
    const cited = body.embeds?.[0]?.fields?.find((f) => f.name === 'Most cited articles')?.value ?? '';
    expect(cited).toMatch(/^\*\*\d+×\*\* \S/);
    expect(text).not.toContain('portraits');
    for (const id of [admin.id, ...askers.map((u) => u.id), ...voters.map((u) => u.id), guildA.id, channelA]) {
      expect(text).not.toContain(id);
    }
    expect(body.allowed_mentions?.parse).toEqual([]);
  });

  it('refuses a member without Manage Server, ephemerally', async () => {
    const { callback } = await report({
      guildId: guildA.id,
      channelId: channelA,
      permissions: PERMISSIONS.member,
      user: askers[0] as typeof admin,
    });
    const data = (callback.body as { data?: { content?: string; flags?: number } }).data;
    expect(data?.content).toMatch(/^Only members with the Manage Server permission/);
    expect((data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it("another server's admin sees none of this server's questions", async () => {
    const { sent } = await report({
      guildId: guildB.id,
      channelId: channelB,
      permissions: PERMISSIONS.manageGuild,
      user: person('admin-b'),
    });
    const text = textOf(bodyOf(await waitForEdit(h.standin, sent, 30_000)));
    expect(text).toContain('No public questions logged in this server');
    expect(text).not.toContain('Refco');
  });
});
