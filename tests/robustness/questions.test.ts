/**
 * Hostile questions through the library, the CLI and the Discord bot (real discord.js
 * client against the local stand-in). Each gets an answer or a clear refusal, never an
 * exception or a crash, never a ping, never a message over Discord's limits.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { type Answer, type KnowledgeBase, NewsragError, openKnowledgeBase } from '@newsrag/core';
import { type RestCall, snowflake } from '@newsrag/test-support/discord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, type Harness, startHarness, textOf } from '../discord/harness.js';
import { expectNoPingsNoViolations, messagesOf } from './discord-checks.js';
import { HOSTILE_QUESTIONS } from './hostile-questions.js';
import { copySeeds, newsrag, requireCli, tempDir } from './support.js';

/** An answer is well-formed: abstained with no text, or text whose citations quote the passages verbatim. */
function expectWellFormed(a: Answer, question: string): void {
  // Documented normalisation: white space collapsed, cut to at most 2,000 characters.
  const normalized = question.replace(/\s+/g, ' ').trim();
  expect(a.question.length).toBeLessThanOrEqual(2000);
  expect(normalized.startsWith(a.question), 'the answer names the question it answered').toBe(true);
  expect(a.confidence).toBeGreaterThanOrEqual(0);
  expect(a.confidence).toBeLessThanOrEqual(1);
  if (a.abstained) {
    expect(a.answer).toBeNull();
    return;
  }
  expect(typeof a.answer).toBe('string');
  expect(a.citations.length).toBeGreaterThan(0);
  for (const c of a.citations) {
    expect(c.passage.slice(c.start - c.passageStart, c.end - c.passageStart)).toBe(c.quote);
    expect(a.answer).toContain(`[${c.marker}]`);
  }
}

describe('hostile questions through the library', () => {
  let root: string;
  let kb: KnowledgeBase;

  beforeAll(async () => {
    root = await tempDir('questions-lib');
    await copySeeds(path.join(root, 'articles'));
    kb = await openKnowledgeBase({ indexDir: path.join(root, 'index'), model: 'standin' });
    await kb.index([path.join(root, 'articles')]);
  });

  afterAll(async () => {
    await kb?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  for (const { name, question } of HOSTILE_QUESTIONS) {
    it(`${name}: an answer or a BAD_QUESTION refusal`, async () => {
      let answer: Answer | undefined;
      try {
        answer = await kb.answer(question);
      } catch (error) {
        expect(error).toBeInstanceOf(NewsragError);
        expect((error as NewsragError).code).toBe('BAD_QUESTION');
        expect((error as Error).message.length).toBeGreaterThan(10);
      }
      if (answer) expectWellFormed(answer, question);
      if (name === 'empty' || name === 'white space only') expect(answer).toBeUndefined();
      // search() takes the same questions without throwing anything else.
      await kb.search(question).catch((error: unknown) => expect((error as NewsragError).code).toBe('BAD_QUESTION'));
    });
  }

  it('the decorated seed questions are still answered from the seed article', async () => {
    for (const name of ['@everyone and @here', 'zero-width characters', 'right-to-left override']) {
      const q = HOSTILE_QUESTIONS.find((h) => h.name === name)?.question as string;
      const a = await kb.answer(q);
      expect(a.passages[0]?.articleId, name).toBe('000_0b4336e44a9e5dd7');
    }
  });
});

describe('hostile questions through the CLI', () => {
  let work: string;

  beforeAll(async () => {
    requireCli();
    work = await tempDir('questions-cli');
    await copySeeds(path.join(work, 'data', 'articles'));
    const built = await newsrag(work, ['index', 'data/articles']);
    expect(built.code, built.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  // A process argument cannot hold a NUL byte (the OS ends the string there).
  const cliQuestions = HOSTILE_QUESTIONS.filter((q) => !q.question.includes('\u0000'));
  it(`${cliQuestions.length} hostile questions: exit 0 with a JSON answer, or exit 2 with a clear message`, async () => {
    const outcomes: string[] = [];
    // Two at a time: each run is a process loading the model.
    for (let i = 0; i < cliQuestions.length; i += 2) {
      const batch = cliQuestions.slice(i, i + 2);
      const results = await Promise.all(batch.map((q) => newsrag(work, ['ask', q.question, '--json'])));
      results.forEach((r, j) => {
        const { name, question } = batch[j] as { name: string; question: string };
        expect(r.stderr, name).not.toMatch(/\n\s+at |TypeError|RangeError|Unhandled/);
        if (r.code === 0) {
          const a = JSON.parse(r.stdout);
          expect(question.replace(/\s+/g, ' ').trim().startsWith(a.question), name).toBe(true);
          expect(typeof a.abstained).toBe('boolean');
          outcomes.push(`${name}: ${a.abstained ? 'abstained' : 'answered'}`);
        } else {
          expect(r.code, `${name}: ${r.stderr}`).toBe(2);
          expect(r.stdout).toBe('');
          expect(r.stderr, name).toMatch(/^newsrag: .+ \[BAD_QUESTION\]\n$/);
          outcomes.push(`${name}: refused (${r.stderr.trim()})`);
        }
      });
    }
    console.log(`CLI:\n  ${outcomes.join('\n  ')}`);
    expect(outcomes.filter((o) => o.startsWith('empty: refused'))).toHaveLength(1);
  }, 120_000);
});

describe('hostile questions through the Discord bot', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { NEWSRAG_COOLDOWN_SECONDS: '0' } });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('every /ask and every mention gets an answer or a refusal, with no ping and within the limits', async () => {
    const botId = h.standin.botUser.id;
    const pending: Array<{ name: string; kind: string; done: Promise<RestCall> }> = [];
    for (const { name, question } of HOSTILE_QUESTIONS) {
      const sent = h.standin.sendCommand({
        name: 'ask',
        user: { id: snowflake(), username: `asker-${pending.length}` },
        options: [{ name: 'question', type: 3, value: question }],
      });
      // The final word on an /ask: an immediate reply (type 4), or the edit of a deferred one.
      const done = h.standin.waitFor(
        (c) =>
          (c.method === 'POST' &&
            c.path === `/interactions/${sent.id}/${sent.token}/callback` &&
            (c.body as { type?: number }).type === 4) ||
          (c.method === 'PATCH' && c.path === `/webhooks/${sent.applicationId}/${sent.token}/messages/@original`),
        30_000,
      );
      pending.push({ name, kind: '/ask', done });
      const msg = h.standin.sendMessage({ content: `<@${botId}> ${question}` });
      const reply = h.standin.waitFor(
        (c) => c.method === 'POST' && bodyOf(c).message_reference?.message_id === msg.id,
        30_000,
      );
      pending.push({ name, kind: 'mention', done: reply });
    }
    const outcomes: string[] = [];
    for (const p of pending) {
      const call = await p.done;
      const payload = messagesOf(call)[0] ?? {};
      const text = textOf(payload);
      expect(text.trim().length, `${p.kind} ${p.name}`).toBeGreaterThan(0);
      expect(text, `${p.kind} ${p.name}`).not.toMatch(/something went wrong/i);
      outcomes.push(`${p.kind} ${p.name}: ${text.replace(/\s+/g, ' ').slice(0, 70)}`);
    }
    console.log(`bot:\n  ${outcomes.join('\n  ')}`);
    const messages = expectNoPingsNoViolations(h.standin.calls);
    expect(messages).toBeGreaterThanOrEqual(pending.length);
    expect(h.standin.violations).toEqual([]);
    expect(h.logs.filter((l) => /error/i.test(l))).toEqual([]);
  }, 90_000);

  it('forged button clicks get a short ephemeral reply or a clamped page, never an error', async () => {
    const before = h.standin.calls.length;
    const ids = [
      'more:no-such-answer',
      'fb:up:<@&123>@everyone',
      'fb:down:',
      'src:-5',
      'src:99999999999999999999',
      'src:NaN',
      'x'.repeat(100),
      '',
    ];
    for (const customId of ids) {
      const sent = h.standin.sendButton({ customId });
      const callback = await h.standin.waitFor(
        (c) => c.method === 'POST' && c.path === `/interactions/${sent.id}/${sent.token}/callback`,
        10_000,
      );
      const body = callback.body as { type: number; data?: Record<string, unknown> };
      expect([4, 7], customId).toContain(body.type);
      expect(textOf(body.data ?? {}), customId).not.toMatch(/something went wrong/i);
      if (body.type === 4) expect(body.data?.flags, customId).toBe(64); // ephemeral
    }
    expectNoPingsNoViolations(h.standin.calls.slice(before));
  }, 60_000);
});
