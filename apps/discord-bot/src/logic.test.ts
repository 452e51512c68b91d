import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayReindex, reindexReport } from './commands/reindex.js';
import { Cooldown, cooldownMessage } from './cooldown.js';
import { appendFeedback, feedbackLine, hashUserId } from './feedback.js';
import { parseButtonId } from './handlers/buttons.js';
import { isQuestionForBot } from './handlers/mention.js';
import { checkQuestion, questionFromMention } from './question.js';

describe('checkQuestion', () => {
  it('strips control, bidi-override and zero-width characters but keeps emoji joiners', () => {
    expect(checkQuestion('Who\u0000 met\u202E Kim\u200B?\u2066')).toEqual({ ok: true, question: 'Who met Kim?' });
    expect(checkQuestion('family 👨\u200D👩\u200D👧?')).toEqual({ ok: true, question: 'family 👨\u200D👩\u200D👧?' });
    expect(checkQuestion('\u0007\u202E\u200B').ok).toBe(false);
  });
  it('accepts and tidies a question', () => {
    expect(checkQuestion('  What   did they sign? ')).toEqual({ ok: true, question: 'What did they sign?' });
  });
  it('rejects empty and over-long questions with a message saying what to do', () => {
    const empty = checkQuestion('   ');
    expect(empty.ok).toBe(false);
    const long = checkQuestion('x'.repeat(301));
    expect(long).toEqual({ ok: false, message: expect.stringContaining('at most 300 characters; yours has 301') });
    expect(checkQuestion('x'.repeat(300)).ok).toBe(true);
  });
  it('strips the bot mention', () => {
    expect(questionFromMention('<@123> what happened? <@!123>', '123')).toBe('what happened?');
  });
});

describe('Cooldown', () => {
  it('allows one question per user per window', () => {
    let now = 0;
    const c = new Cooldown(5, () => now);
    expect(c.take('u1')).toEqual({ ok: true });
    now = 1000;
    expect(c.take('u1')).toEqual({ ok: false, retryAfterMs: 4000 });
    expect(c.take('u2')).toEqual({ ok: true });
    now = 5000;
    expect(c.take('u1')).toEqual({ ok: true });
    expect(cooldownMessage(4000)).toBe('Please wait 4 more seconds before asking again.');
    expect(cooldownMessage(200)).toBe('Please wait 1 more second before asking again.');
  });
  it('is off at 0 seconds: one user asks again and again at the same instant', () => {
    // One object, the same user, the same instant: what a window of 5 s refuses (above).
    const off = new Cooldown(0, () => 0);
    for (let i = 0; i < 3; i++) expect(off.take('u')).toEqual({ ok: true });
  });
});

describe('feedback', () => {
  it('writes one JSONL line per vote with the user id hashed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'newsrag-fb-')), 'deep', 'feedback.jsonl');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendFeedback(
          file,
          feedbackLine({
            answerId: `a${i}`,
            question: 'Q?',
            userId: `12345${i}`,
            vote: i % 2 ? 'helpful' : 'not_helpful',
          }),
        ),
      ),
    );
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(20);
    const first = lines.find((l) => l.answerId === 'a3');
    expect(first).toMatchObject({ question: 'Q?', vote: 'helpful', user: hashUserId('123453') });
    expect(first.user).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8')).not.toContain('"123453"');
  });
});

describe('button ids', () => {
  it('round-trips the renderers’ custom ids', () => {
    expect(parseButtonId('more:abc-1')).toEqual({ kind: 'more', answerId: 'abc-1' });
    expect(parseButtonId('fb:up:abc')).toEqual({ kind: 'feedback', answerId: 'abc', vote: 'helpful' });
    expect(parseButtonId('fb:down:abc')).toEqual({ kind: 'feedback', answerId: 'abc', vote: 'not_helpful' });
    expect(parseButtonId('src:2')).toEqual({ kind: 'sources-page', page: 2 });
    expect(parseButtonId('whatever')).toEqual({ kind: 'unknown' });
  });
});

describe('who may do what', () => {
  const perms = (has: boolean) => ({ has: () => has });
  it('lets Manage Server members and configured admins reindex', () => {
    expect(mayReindex('1', perms(true), [])).toBe(true);
    expect(mayReindex('1', perms(false), ['1'])).toBe(true);
    expect(mayReindex('1', perms(false), ['2'])).toBe(false);
    expect(mayReindex('1', null, [])).toBe(false);
  });
  it('answers DMs, and mentions only in allowed channels', () => {
    const msg = { authorIsBot: false, isDm: false, channelId: 'c1', mentionsBot: true };
    expect(isQuestionForBot(msg, null)).toBe(true);
    expect(isQuestionForBot(msg, ['c2'])).toBe(false);
    expect(isQuestionForBot({ ...msg, mentionsBot: false }, null)).toBe(false);
    expect(isQuestionForBot({ ...msg, isDm: true, mentionsBot: false }, ['c2'])).toBe(true);
    expect(isQuestionForBot({ ...msg, authorIsBot: true }, null)).toBe(false);
  });
  it('reports a reindex', () => {
    const text = reindexReport('data/articles', {
      added: 1,
      updated: 2,
      removed: 3,
      unchanged: 4,
      chunksEmbedded: 5,
      seconds: 1.25,
      issues: [{ path: 'x.txt', code: 'ARTICLE_EMPTY', message: 'x.txt is empty' }],
    });
    expect(text).toContain('1 added, 2 updated, 3 removed, 4 unchanged (5 passages embedded)');
    expect(text).toContain('- x.txt: x.txt is empty');
  });
});

describe('apologyFor', () => {
  it('explains a missing index, and apologises briefly for anything else', async () => {
    const { NewsragError } = await import('@newsrag/core');
    const { apologyFor } = await import('./bot.js');
    expect(apologyFor(new NewsragError('INDEX_NOT_FOUND', 'no index'))).toMatch(/No articles are indexed yet/);
    expect(apologyFor(new Error('boom'))).toMatch(/^Sorry, something went wrong/);
  });
});
