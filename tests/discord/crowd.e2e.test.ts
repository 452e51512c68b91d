/**
 * The bot under a crowd, against the stand-in's real rate limits and interaction rules.
 * Only counts and orderings are asserted: timing belongs in the benchmark
 * (`bench/bot/load.ts`), not in tests on a shared machine.
 */
import { TransformersEmbedder } from '@newsrag/embed/internals';
import { snowflake } from '@newsrag/test-support/discord';
import { Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askOptions, bodyOf, type Harness, startHarness, waitForCallback, waitForEdit } from './harness.js';

const QUESTIONS = [
  'How many hours did Putin and Kim spend together during the visit?',
  'What animal did Kim Jong Un feed carrots to?',
  'What did Putin and Kim sign?',
  'Who won the football match between Brazil and Argentina?',
];

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { NEWSRAG_COOLDOWN_SECONDS: '0' } });
});

afterAll(async () => {
  await h?.close();
});

describe('a crowd of askers', () => {
  it('acknowledges every one of 100 simultaneous /ask, answers each once, with no 429 and no refusal', async () => {
    const sent = Array.from({ length: 100 }, (_, i) =>
      h.standin.sendCommand({
        name: 'ask',
        user: { id: snowflake(), username: `asker${i}` },
        options: askOptions(QUESTIONS[i % QUESTIONS.length] ?? ''),
      }),
    );
    const edits = await Promise.all(sent.map((s) => waitForEdit(h.standin, s, 280_000)));
    for (const [i, s] of sent.entries()) {
      const calls = h.standin.callsFor(s);
      // One deferral, then one edit carrying the answer: nothing lost, nothing doubled.
      expect(calls.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 204', 'PATCH 200']);
      expect(calls[0]?.body).toMatchObject({ type: 5 });
      expect(bodyOf(edits[i] as (typeof edits)[number]).embeds?.[0]?.title).toBe(QUESTIONS[i % QUESTIONS.length]);
    }
    expect(h.standin.interactions.unacknowledged()).toEqual([]);
    expect(h.standin.rateLimited).toEqual([]);
    expect(h.standin.refusals).toEqual([]);
    expect(h.standin.violations).toEqual([]);
    // Counts, not speed: 100 real-model answers may take minutes on a busy 2-core machine.
  }, 300_000);

  it("starts each distinct question's query embedding as it arrives, and each answer takes that vector", async () => {
    const embedder = h.kb.embedder;
    if (!(embedder instanceof TransformersEmbedder)) throw new Error('expected the transformers.js embedder');
    // Distinct texts the tokenizer cannot fold into one another or into the earlier tests' questions.
    const crowd = Array.from({ length: 24 }, (_, i) => `What did the ${i + 1} visitors of Pyongyang see?`);
    const primed = embedder.primedQueries;
    const hits = embedder.queryCache.hits;
    const sent = crowd.map((q, i) =>
      h.standin.sendCommand({ name: 'ask', user: { id: snowflake(), username: `prime${i}` }, options: askOptions(q) }),
    );
    const edits = await Promise.all(sent.map((s) => waitForEdit(h.standin, s, 280_000)));
    for (const [i, edit] of edits.entries()) expect(bodyOf(edit).embeds?.[0]?.title).toBe(crowd[i]);
    // Primed once each on arrival (none was cached), then found in the cache by its answer.
    expect(embedder.primedQueries - primed).toBe(crowd.length);
    expect(embedder.queryCache.hits - hits).toBeGreaterThanOrEqual(crowd.length);
    expect(h.standin.rateLimited).toEqual([]);
    expect(h.standin.interactions.unacknowledged()).toEqual([]);
  }, 300_000);

  it("answers an /ask while the bot's own requests wait out the global limit", async () => {
    // 60 bot-authenticated requests at once: discord.js sends 50 and holds the rest for the next second.
    const typing = Array.from({ length: 60 }, () => h.bot.client.rest.post(Routes.channelTyping(snowflake())));
    const sent = h.standin.sendCommand({ name: 'ask', options: askOptions(QUESTIONS[0] ?? '') });
    const edit = await waitForEdit(h.standin, sent);
    await Promise.all(typing);
    const typed = h.standin.calls.filter((c) => c.path.endsWith('/typing'));
    expect(typed).toHaveLength(60);
    // The answer's defer and edit did not queue behind the global limit: the edit landed
    // before the first request discord.js held back for the next window.
    const held = typed[50];
    expect(held).toBeDefined();
    expect(edit.receivedAt).toBeLessThan(held?.receivedAt ?? 0);
    expect((await waitForCallback(h.standin, sent)).status).toBe(204);
    expect(h.standin.rateLimited).toEqual([]);
    expect(h.standin.rateLimiter.globalWindows.every((w) => w.served <= 50)).toBe(true);
  });
});
