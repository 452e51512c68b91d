/**
 * End to end: the real bot (real discord.js client, real @newsrag/core knowledge base,
 * real transformers.js stand-in embedder) against the local Discord stand-in.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { registerCommands } from '@newsrag/discord-bot';
import { ABSTAIN_TEXT, userKey } from '@newsrag/discord-bot/internals';
import { PERMISSIONS, snowflake } from '@newsrag/test-support/discord';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askOptions,
  bodyOf,
  type Harness,
  startHarness,
  TEST_TOKEN,
  textOf,
  waitForCallback,
  waitForEdit,
} from './harness.js';

const SEED_QUESTION = 'How many hours did Putin and Kim spend together during the visit?';
const SEED_ARTICLE = '000_0b4336e44a9e5dd7';

const user = (name = 'reader') => ({ id: snowflake(), username: name, global_name: name });
/** The bot's per-user button cooldown (bot.ts). */
const BUTTON_COOLDOWN_MS = 2_000;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('/ask', () => {
  it('defers at once, then edits in an embed quoting the right passage with its citation', async () => {
    const sent = h.standin.sendCommand({ name: 'ask', options: askOptions(SEED_QUESTION) });
    const callback = await waitForCallback(h.standin, sent);
    expect(callback.body).toMatchObject({ type: 5 });
    expect(((callback.body as { data?: { flags?: number } }).data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(0);
    const edit = await waitForEdit(h.standin, sent);
    expect(edit.status).toBe(200);
    const body = bodyOf(edit);
    expect(body.allowed_mentions?.parse).toEqual([]);
    const embed = body.embeds?.[0];
    expect(embed?.title).toBe(SEED_QUESTION);
    expect(embed?.description).toContain('more than 10 hours');
    expect(embed?.description).toMatch(/\[1\]/);
    const cited = embed?.fields?.find((f) => f.name.startsWith('[1]'));
    expect(cited?.value).toContain(SEED_ARTICLE);
    expect(cited?.value).toContain('more than 10 hours');
    expect(embed?.footer?.text).toMatch(/^Answered in \d/);
    const buttons = body.components?.[0]?.components.map((c) => c.label);
    expect(buttons).toEqual(['More sources', 'Helpful', 'Not helpful']);
  });

  it('answers privately (ephemeral, flags 64) when private is set', async () => {
    const sent = h.standin.sendCommand({
      name: 'ask',
      options: askOptions('What animal did Kim Jong Un feed carrots to?', { private: true }),
    });
    const callback = await waitForCallback(h.standin, sent);
    expect(callback.body).toMatchObject({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    expect(textOf(bodyOf(await waitForEdit(h.standin, sent)))).toMatch(/horse/i);
  });

  it('works in a DM too (the interaction carries a user, not a member)', async () => {
    const sent = h.standin.sendCommand({
      name: 'ask',
      guildId: null,
      options: askOptions('What animal did Kim Jong Un feed carrots to?'),
    });
    expect(textOf(bodyOf(await waitForEdit(h.standin, sent)))).toMatch(/horse/i);
  });

  it('abstains kindly on a question the articles cannot answer, showing the closest passages', async () => {
    const sent = h.standin.sendCommand({
      name: 'ask',
      options: askOptions('Who won the football match between Brazil and Argentina?'),
    });
    const embed = bodyOf(await waitForEdit(h.standin, sent)).embeds?.[0];
    expect(embed?.description).toBe(ABSTAIN_TEXT);
    expect(embed?.fields?.length).toBeGreaterThan(0);
    expect(embed?.fields?.every((f) => !f.name.startsWith('['))).toBe(true);
  });

  it('never pings: a question with @everyone is answered with parse: []', async () => {
    const question = '@everyone <@&123456789012345678> what did Putin and Kim sign?';
    const sent = h.standin.sendCommand({ name: 'ask', options: askOptions(question) });
    const body = bodyOf(await waitForEdit(h.standin, sent));
    expect(body.embeds?.[0]?.title).toContain('@everyone');
    expect(body.allowed_mentions?.parse).toEqual([]);
  });

  it('rejects an empty or over-long question with a clear ephemeral message', async () => {
    const long = h.standin.sendCommand({ name: 'ask', options: askOptions('Why? '.repeat(70)) });
    const empty = h.standin.sendCommand({ name: 'ask', options: askOptions('   ') });
    const longReply = await waitForCallback(h.standin, long);
    expect(longReply.body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
    expect(bodyOf({ ...longReply, body: (longReply.body as { data: unknown }).data }).content).toMatch(
      /at most 300 characters/,
    );
    const emptyReply = await waitForCallback(h.standin, empty);
    expect((emptyReply.body as { data: { content: string } }).data.content).toMatch(/Please ask a question/);
  });

  it('enforces the per-user cooldown with a polite ephemeral notice', async () => {
    const asker = user('hasty');
    const first = h.standin.sendCommand({
      name: 'ask',
      user: asker,
      options: askOptions('Where did Kim and Putin meet?'),
    });
    await waitForCallback(h.standin, first);
    const second = h.standin.sendCommand({ name: 'ask', user: asker, options: askOptions('And when?') });
    const notice = await waitForCallback(h.standin, second);
    expect(notice.body).toMatchObject({
      type: 4,
      data: { flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
    });
    expect((notice.body as { data: { content: string } }).data.content).toMatch(
      /^Please wait [1-5] more seconds? before asking again\.$/,
    );
    await waitForEdit(h.standin, first);
  });
});

describe('mentions and DMs', () => {
  it('replies to a mention in a channel, typing meanwhile, without pinging anyone', async () => {
    const msg = h.standin.sendMessage({ content: `<@${h.standin.botUser.id}> @everyone ${SEED_QUESTION}` });
    const reply = await h.standin.waitFor(
      (c) =>
        c.method === 'POST' &&
        c.path === `/channels/${msg.channelId}/messages` &&
        bodyOf(c).message_reference?.message_id === msg.id,
    );
    expect(reply.status).toBe(200);
    const body = bodyOf(reply);
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.embeds?.[0]?.description).toContain('more than 10 hours');
    expect(h.standin.calls.some((c) => c.method === 'POST' && c.path === `/channels/${msg.channelId}/typing`)).toBe(
      true,
    );
  });

  it('ignores channel messages that do not mention it', async () => {
    const msg = h.standin.sendMessage({ content: 'just chatting about the news' });
    // A mention sent afterwards is answered; the plain message before it never is.
    const later = h.standin.sendMessage({ content: `<@${h.standin.botUser.id}> What did Putin give Kim?` });
    await h.standin.waitFor((c) => bodyOf(c).message_reference?.message_id === later.id);
    expect(h.standin.calls.some((c) => bodyOf(c).message_reference?.message_id === msg.id)).toBe(false);
  });

  it('answers a DM', async () => {
    const dm = h.standin.sendMessage({ content: 'What dog breed did Kim give Putin?', guildId: null });
    const reply = await h.standin.waitFor(
      (c) => c.method === 'POST' && c.path === `/channels/${dm.channelId}/messages`,
    );
    expect(reply.status).toBe(200);
    expect(bodyOf(reply).embeds?.[0]?.title).toBe('What dog breed did Kim give Putin?');
  });

  it('answers a mention during the cooldown with a short reply', async () => {
    const author = user('eager');
    const first = h.standin.sendMessage({ author, content: `<@${h.standin.botUser.id}> What did Kim feed the horse?` });
    const second = h.standin.sendMessage({ author, content: `<@${h.standin.botUser.id}> Where was the summit?` });
    const notice = await h.standin.waitFor((c) => bodyOf(c).message_reference?.message_id === second.id);
    expect(bodyOf(notice).content).toMatch(/^Please wait \d more seconds? before asking again\.$/);
    await h.standin.waitFor((c) => bodyOf(c).message_reference?.message_id === first.id);
  });
});

describe('buttons', () => {
  it('"More sources" shows passages not shown yet; one vote per user and answer, user ids keyed with a secret', async () => {
    const sent = h.standin.sendCommand({ name: 'ask', options: askOptions('What did Putin and Kim sign?') });
    const body = bodyOf(await waitForEdit(h.standin, sent));
    const ids = body.components?.[0]?.components.map((c) => c.custom_id ?? '') ?? [];
    const [more, up, down] = ids;
    expect(more).toMatch(/^more:/);
    const shown = new Set((body.embeds?.[0]?.fields ?? []).map((f) => f.value.split('\n')[1]));

    const click = h.standin.sendButton({ customId: more ?? '', user: user('clicker') });
    expect((await waitForCallback(h.standin, click)).body).toMatchObject({
      type: 5,
      data: { flags: MessageFlags.Ephemeral },
    });
    const moreEmbed = bodyOf(await waitForEdit(h.standin, click)).embeds?.[0];
    expect(moreEmbed?.title).toMatch(/^More sources/);
    expect(moreEmbed?.fields?.length).toBeGreaterThan(0);
    for (const f of moreEmbed?.fields ?? []) expect(shown.has(f.value.split('\n')[1])).toBe(false);

    const voter = user('voter');
    const vote = h.standin.sendButton({ customId: up ?? '', user: voter });
    const thanks = await waitForCallback(h.standin, vote);
    expect(thanks.body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
    // Buttons have their own cooldown: a click right after is refused, not counted.
    const tooSoon = h.standin.sendButton({ customId: down ?? '', user: voter });
    expect(((await waitForCallback(h.standin, tooSoon)).body as { data: { content: string } }).data.content).toMatch(
      /Please wait/,
    );
    await sleep(BUTTON_COOLDOWN_MS + 100);
    const voteDown = h.standin.sendButton({ customId: down ?? '', user: voter });
    await waitForCallback(h.standin, voteDown);
    const log = readFileSync(h.config.feedbackLog, 'utf8');
    const lines = log
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const answerId = (more ?? '').slice('more:'.length);
    // The later vote replaced the earlier one.
    expect(lines.filter((l) => l.answerId === answerId).map((l) => l.vote)).toEqual(['not_helpful']);
    const secret = readFileSync(`${h.config.feedbackLog}.secret`, 'utf8').trim();
    expect(lines.find((l) => l.answerId === answerId)).toMatchObject({
      question: 'What did Putin and Kim sign?',
      user: userKey(secret, voter.id),
    });
    expect(log).not.toContain(voter.id);
    expect(statSync(h.config.feedbackLog).mode & 0o777).toBe(0o600);
  });

  it('keeps the question of a private answer out of the feedback log', async () => {
    const question = 'How many portraits of Putin were hung around Pyongyang?';
    const sent = h.standin.sendCommand({ name: 'ask', options: askOptions(question, { private: true }) });
    const up = bodyOf(await waitForEdit(h.standin, sent)).components?.[0]?.components[1]?.custom_id ?? '';
    const vote = h.standin.sendButton({ customId: up, user: user('private-voter') });
    await waitForCallback(h.standin, vote);
    const answerId = up.slice('fb:up:'.length);
    const line = readFileSync(h.config.feedbackLog, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.answerId === answerId);
    expect(line).toMatchObject({ question: null, vote: 'helpful' });
    expect(readFileSync(h.config.feedbackLog, 'utf8')).not.toContain('portraits');
  });

  it('apologises (and logs) when a handler fails, and keeps working', async () => {
    const file = h.config.feedbackLog;
    // The log's path taken by a folder: reading it really fails.
    renameSync(file, `${file}.saved`);
    mkdirSync(file);
    try {
      const vote = h.standin.sendButton({ customId: 'fb:up:whatever', user: user('unlucky') });
      const reply = await waitForCallback(h.standin, vote);
      expect((reply.body as { data: { content: string } }).data.content).toMatch(/^Sorry, something went wrong/);
      expect(h.logs.some((l) => l.includes('handler failed') && l.includes('fb:up:whatever'))).toBe(true);
    } finally {
      rmSync(file, { recursive: true });
      renameSync(`${file}.saved`, file);
    }
  });

  it('/sources lists the indexed articles', async () => {
    const sent = h.standin.sendCommand({ name: 'sources' });
    const reply = await waitForCallback(h.standin, sent);
    const data = (reply.body as { data: { embeds: Array<{ title: string; description: string }> } }).data;
    expect(data.embeds[0]?.title).toBe(`Indexed articles (${h.kb.articles().length})`);
    expect(data.embeds[0]?.description.split('\n')).toHaveLength(h.kb.articles().length);
    const page = h.standin.sendButton({ customId: 'src:0' });
    expect((await waitForCallback(h.standin, page)).body).toMatchObject({ type: 7 });
  });
});

describe('/timeline', () => {
  it('defers, then edits in the dated events about the topic, oldest first, undated apart', async () => {
    const sent = h.standin.sendCommand({
      name: 'timeline',
      options: [{ name: 'topic', type: 3, value: 'Putin and Kim' }],
    });
    expect((await waitForCallback(h.standin, sent)).body).toMatchObject({ type: 5 });
    const embed = bodyOf(await waitForEdit(h.standin, sent)).embeds?.[0];
    expect(embed?.title).toBe('Timeline: Putin and Kim');
    const dates = (embed?.description ?? '').split('\n').map((l) => /^\*\*(.+?)\*\*/.exec(l)?.[1]);
    const wanted = ['2000', '2023', 'February 2024', '19 June 2024', '20 June 2024'].map((d) => dates.indexOf(d));
    expect(
      wanted.every((i) => i >= 0),
      dates.join(' | '),
    ).toBe(true);
    expect([...wanted].sort((a, b) => a - b)).toEqual(wanted);
    expect(embed?.fields?.[0]?.name).toMatch(/^Undated/);
  });
});

describe('/reindex', () => {
  it('is refused to members without Manage Server, and to Manage Server members of another guild', async () => {
    const sent = h.standin.sendCommand({ name: 'reindex', permissions: PERMISSIONS.member });
    const reply = await waitForCallback(h.standin, sent);
    expect(reply.body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
    expect((reply.body as { data: { content: string } }).data.content).toMatch(/Manage Server/);
    // The index is shared by every guild: Manage Server elsewhere is not enough.
    const elsewhere = h.standin.sendCommand({
      name: 'reindex',
      permissions: PERMISSIONS.manageGuild,
      guildId: snowflake(),
    });
    expect(((await waitForCallback(h.standin, elsewhere)).body as { data: { content: string } }).data.content).toMatch(
      /home server/,
    );
  });

  it('rebuilds for an admin, one at a time, reports in the channel, then cools down; /ask keeps being answered', async () => {
    const before = h.kb.articles().length;
    writeFileSync(
      join(h.articlesDir, '950_new_article.txt'),
      'Lighthouse keepers return to Scottish islands\n\nThe lighthouse keepers returned to the Scottish islands after the automated lamps failed in the winter gales.\n',
    );
    const admin = h.standin.sendCommand({ name: 'reindex', permissions: PERMISSIONS.manageGuild });
    const again = h.standin.sendCommand({ name: 'reindex', permissions: PERMISSIONS.manageGuild });
    const asks = Array.from({ length: 3 }, () =>
      h.standin.sendCommand({ name: 'ask', options: askOptions(SEED_QUESTION) }),
    );

    const busy = await waitForCallback(h.standin, again);
    expect((busy.body as { data: { content: string } }).data.content).toMatch(/already running/);
    for (const ask of asks) expect(textOf(bodyOf(await waitForEdit(h.standin, ask)))).toContain('more than 10 hours');
    const report = await waitForEdit(h.standin, admin, 60_000);
    expect(bodyOf(report).content).toMatch(/1 added, 0 updated, 0 removed, \d+ unchanged/);
    expect(h.kb.articles().length).toBe(before + 1);
    // Start and report were posted in the channel too (they outlive the interaction token).
    const posted = h.standin.calls
      .filter((c) => c.method === 'POST' && c.path === `/channels/${h.standin.channelId}/messages`)
      .map((c) => bodyOf(c).content ?? '');
    expect(posted.some((c) => /^Reindex of .* started/.test(c))).toBe(true);
    expect(posted.some((c) => /1 added, 0 updated, 0 removed/.test(c))).toBe(true);

    const soon = h.standin.sendCommand({ name: 'reindex', permissions: PERMISSIONS.manageGuild });
    expect(((await waitForCallback(h.standin, soon)).body as { data: { content: string } }).data.content).toMatch(
      /ran recently; please wait \d+ more seconds/,
    );

    const sent = h.standin.sendCommand({
      name: 'ask',
      options: askOptions('Why did the lighthouse keepers return to the Scottish islands?'),
    });
    expect(textOf(bodyOf(await waitForEdit(h.standin, sent)))).toMatch(/lighthouse keepers/i);
  });
});

describe('robustness', () => {
  // Payloads that make discord.js itself throw (null data, invalid JSON) are covered by
  // main.e2e.test.ts, where the entry point's process guards are installed.
  it('survives malformed gateway payloads and keeps answering', async () => {
    const seq = 100_000;
    h.standin.sendRaw({ op: 0, t: 'INTERACTION_CREATE', s: seq, d: { id: '1' } });
    h.standin.sendRaw({ op: 0, t: 'INTERACTION_CREATE', s: seq + 1, d: { type: 2, data: {} } });
    h.standin.sendRaw({ op: 0, t: 'MESSAGE_CREATE', s: seq + 2, d: { garbage: true, content: 42 } });
    h.standin.sendRaw({ op: 0, t: 'MESSAGE_CREATE', s: seq + 3, d: { id: 'x', channel_id: '1', content: 12345 } });
    h.standin.sendRaw({ op: 0, t: 'NOT_A_REAL_EVENT', s: seq + 4, d: [1, 2, 3] });
    h.standin.sendRaw({ op: 12345, d: 'unknown op' });
    const sent = h.standin.sendCommand({ name: 'ask', options: askOptions(SEED_QUESTION) });
    expect(textOf(bodyOf(await waitForEdit(h.standin, sent)))).toContain('more than 10 hours');
  });

  it('registers its commands with the REST API (bot:register)', async () => {
    const config = { ...h.config, appId: h.standin.applicationId, guildId: h.standin.guildId };
    Object.defineProperty(config, 'token', { value: TEST_TOKEN });
    const result = await registerCommands(config);
    expect(result).toEqual({ count: 7, scope: `guild ${h.standin.guildId}` });
    const put = await h.standin.waitFor((c) => c.method === 'PUT');
    expect(put.path).toBe(`/applications/${h.standin.applicationId}/guilds/${h.standin.guildId}/commands`);
    expect((put.body as Array<{ name: string }>).map((c) => c.name)).toEqual([
      'ask',
      'sources',
      'reindex',
      'timeline',
      'feeds',
      'settings',
      'report',
    ]);
    expect(put.authorized).toBe(true);
  });
});

describe('load', () => {
  it('acknowledges and answers 50 concurrent /ask interactions, each acknowledged before it is edited', async () => {
    const questions = [
      SEED_QUESTION,
      'What animal did Kim Jong Un feed carrots to?',
      'What did Putin and Kim sign?',
      'Where did Kim and Putin meet in Russia?',
      'How long was Putin’s flight to Pyongyang?',
    ];
    const refusedBefore = h.standin.refusals.length;
    const sent = Array.from({ length: 50 }, (_, i) =>
      h.standin.sendCommand({
        name: 'ask',
        user: user(`load${i}`),
        options: askOptions(questions[i % questions.length] ?? SEED_QUESTION),
      }),
    );
    const edits = await Promise.all(sent.map((s) => waitForEdit(h.standin, s, 90_000)));
    for (const [i, e] of edits.entries()) {
      expect(e.status).toBe(200);
      expect(bodyOf(e).embeds?.[0]?.description?.length).toBeGreaterThan(0);
      const callback = await waitForCallback(h.standin, sent[i] as (typeof sent)[number]);
      expect(callback.status).toBe(204);
      expect(callback.receivedAt).toBeLessThan(e.receivedAt);
    }
    expect(h.standin.refusals.slice(refusedBefore)).toEqual([]);
  });
});

describe('hygiene, over every test above', () => {
  it('sent nothing that breaks Discord limits, and never logged the token', () => {
    expect(h.standin.calls.length).toBeGreaterThan(100);
    expect(h.standin.violations).toEqual([]);
    expect(h.standin.rateLimited).toEqual([]);
    expect(h.logs.length).toBeGreaterThan(0);
    const logs = h.logs.join('\n');
    expect(logs).not.toContain(TEST_TOKEN);
    expect(logs).not.toContain('standin-secret');
  });
});
