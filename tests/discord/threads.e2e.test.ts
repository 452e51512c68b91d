/**
 * Threads and follow-ups end to end: the real bot (real discord.js client, real knowledge base
 * with the real all-MiniLM-L6-v2 q8) against the local Discord stand-in. An answer opens a
 * thread; a scripted conversation of `data/eval/followups.dev.jsonl` is asked in it, by mention
 * and by `/ask`, each follow-up answered in the thread's context and saying which earlier
 * question it took it from.
 */
import { type FollowUpConversation, readConversations } from '@newsrag/core';
import { normalizeForScoring } from '@newsrag/core/internals';
import { FOLLOW_UP_PREFIX } from '@newsrag/discord-bot/internals';
import { FOLLOWUPS_DEV, REAL_MODEL } from '@newsrag/test-support';
import { type RestCall, snowflake } from '@newsrag/test-support/discord';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askOptions, bodyOf, type Harness, startHarness, textOf, waitForEdit } from './harness.js';

const user = (name = 'reader') => ({ id: snowflake(), username: name, global_name: name });

let h: Harness;
let conversation: FollowUpConversation;

beforeAll(async () => {
  const all = await readConversations(FOLLOWUPS_DEV);
  conversation = all[0] as FollowUpConversation;
  h = await startHarness({ model: REAL_MODEL, dtype: 'q8', env: { NEWSRAG_COOLDOWN_SECONDS: '0' } });
});

afterAll(async () => {
  await h?.close();
});

const threadStart = (c: RestCall) => c.method === 'POST' && /^\/channels\/\d+\/messages\/\d+\/threads$/.test(c.path);

/** The bot's reply to a message in a channel (a mention's answer). */
function replyTo(messageId: string, channelId: string): Promise<RestCall> {
  return h.standin.waitFor(
    (c) =>
      c.method === 'POST' &&
      c.path === `/channels/${channelId}/messages` &&
      (c.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === messageId,
    60_000,
  );
}

function quotesOneOf(text: string, answers: readonly string[]): boolean {
  const t = normalizeForScoring(text);
  return answers.some((a) => t.includes(normalizeForScoring(a)));
}

describe(`a follow-up conversation in a thread (${REAL_MODEL} q8)`, () => {
  it('an answer opens a thread; five follow-ups asked in it (mentions and /ask) are answered right, each saying where its context came from', async () => {
    const [first, ...followUps] = conversation.turns;
    if (!first) throw new Error('empty conversation');
    expect(followUps.length).toBeGreaterThanOrEqual(5);
    const asker = user('asker');
    const sent = h.standin.sendCommand({
      name: 'ask',
      user: asker,
      options: askOptions(first.question, { thread: true }),
    });
    const edit = await waitForEdit(h.standin, sent, 60_000);
    expect(quotesOneOf(textOf(bodyOf(edit)), first.answers), textOf(bodyOf(edit))).toBe(true);
    const start = await h.standin.waitFor(threadStart, 30_000);
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ name: first.question, auto_archive_duration: 1440 });
    const thread = h.standin.threads.at(-1);
    if (!thread) throw new Error('no thread started');
    expect(thread.parentId).toBe(h.standin.channelId);
    // Discord gives a thread started from a message that message's id.
    expect(start.path).toBe(`/channels/${h.standin.channelId}/messages/${thread.id}/threads`);

    const asked = [first.question];
    for (const [i, turn] of followUps.entries()) {
      let text: string;
      if (i % 2 === 0) {
        const m = h.standin.sendMessage({
          channelId: thread.id,
          author: asker,
          content: `<@${h.standin.botUser.id}> ${turn.question}`,
        });
        const reply = await replyTo(m.id, thread.id);
        expect(reply.status).toBe(200);
        expect(bodyOf(reply).allowed_mentions?.parse).toEqual([]);
        text = textOf(bodyOf(reply));
      } else {
        const s = h.standin.sendCommand({
          name: 'ask',
          user: asker,
          channelId: thread.id,
          options: askOptions(turn.question),
        });
        const e = await waitForEdit(h.standin, s, 60_000);
        expect(e.status).toBe(200);
        text = textOf(bodyOf(e));
      }
      const description = text.split('\n').find((line) => line.startsWith(FOLLOW_UP_PREFIX));
      expect(description, `turn ${i + 1} "${turn.question}" says where its context came from:\n${text}`).toBeDefined();
      const from = description?.slice(FOLLOW_UP_PREFIX.length) ?? '';
      expect(
        asked.some((q) => from.replace(/\\/g, '') === q),
        `${from} is an earlier question`,
      ).toBe(true);
      expect(quotesOneOf(text, turn.answers), `turn ${i + 1} "${turn.question}":\n${text}`).toBe(true);
      asked.push(turn.question);
    }
    // Only the first answer opened a thread; none of the answers in it tried to.
    expect(h.standin.calls.filter(threadStart)).toHaveLength(1);
    expect(h.standin.violations).toEqual([]);
  }, 300_000);

  it('a thread the bot has no conversation for starts fresh', async () => {
    const thread = h.standin.userThread({ name: 'Gifts' });
    const m = h.standin.sendMessage({
      channelId: thread.id,
      content: `<@${h.standin.botUser.id}> What did Kim give him in return?`,
    });
    const text = textOf(bodyOf(await replyTo(m.id, thread.id)));
    expect(text).not.toContain(FOLLOW_UP_PREFIX);
  }, 60_000);

  it('a private answer opens no thread and does not join the thread it is asked in', async () => {
    const before = h.standin.calls.filter(threadStart).length;
    const s = h.standin.sendCommand({
      name: 'ask',
      options: askOptions('What did Putin and Kim sign during the visit?', { private: true, thread: true }),
    });
    const e = await waitForEdit(h.standin, s, 60_000);
    expect(e.status).toBe(200);
    const callback = h.standin.callsFor(s).find((c) => c.path.endsWith('/callback'));
    expect(((callback?.body as { data?: { flags?: number } })?.data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(64);
    expect(h.standin.calls.filter(threadStart).length).toBe(before);
  }, 60_000);
});
