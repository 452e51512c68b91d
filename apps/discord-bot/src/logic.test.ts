import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayReindex, reindexReport } from './commands/reindex.js';
import { Cooldown, cooldownMessage } from './cooldown.js';
import { FeedbackLog, userKey } from './feedback.js';
import { MAX_MORE_PASSAGES, moreSearchK, parseButtonId } from './handlers/buttons.js';
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
  it('keys user ids with an HMAC secret kept owner-only beside the log, one line per vote', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'newsrag-fb-')), 'deep', 'feedback.jsonl');
    const log = new FeedbackLog(file, null, 1024 * 1024);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        log.record({ answerId: `a${i}`, question: 'Q?', userId: `12345${i}`, vote: i % 2 ? 'helpful' : 'not_helpful' }),
      ),
    );
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(20);
    const secret = readFileSync(`${file}.secret`, 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const first = lines.find((l) => l.answerId === 'a3');
    expect(first).toMatchObject({ question: 'Q?', vote: 'helpful', user: userKey(secret, '123453') });
    // Not the plain sha256 of the (public) id, which anyone could recompute.
    expect(first.user).not.toBe(createHash('sha256').update('123453').digest('hex'));
    expect(readFileSync(file, 'utf8')).not.toContain('"123453"');
    for (const f of [file, `${file}.secret`]) expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });

  it('keeps one vote per user and answer (the later one), and rotates past the size limit', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'newsrag-fb-')), 'feedback.jsonl');
    const log = new FeedbackLog(file, 'a-configured-secret-of-some-length', 4096);
    await log.record({ answerId: 'x', question: 'Q?', userId: '1', vote: 'helpful' });
    await log.record({ answerId: 'x', question: 'Q?', userId: '1', vote: 'not_helpful' });
    await log.record({ answerId: 'x', question: 'Q?', userId: '2', vote: 'helpful' });
    const votes = () =>
      readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { vote: string; user: string });
    expect(votes().map((v) => [v.user, v.vote])).toEqual([
      [userKey('a-configured-secret-of-some-length', '1'), 'not_helpful'],
      [userKey('a-configured-secret-of-some-length', '2'), 'helpful'],
    ]);
    for (let i = 0; i < 60; i++) {
      await log.record({ answerId: `a${i}`, question: 'Q'.repeat(100), userId: '3', vote: 'helpful' });
    }
    expect(statSync(file).size).toBeLessThanOrEqual(4096);
    expect(statSync(`${file}.1`).size).toBeLessThanOrEqual(4096);
    expect(votes().at(-1)).toMatchObject({ vote: 'helpful' });
  });
});

describe('"More sources"', () => {
  it('never asks a search for more than 100 passages, however often it is clicked', () => {
    let shown = 3;
    const ks: Array<number | null> = [];
    for (let click = 0; click < 40; click++) {
      const k = moreSearchK(shown);
      ks.push(k);
      if (k !== null) shown = Math.min(k, shown + 5);
    }
    expect(ks[0]).toBe(8);
    expect(Math.max(...ks.filter((k): k is number => k !== null))).toBe(MAX_MORE_PASSAGES);
    expect(ks.at(-1)).toBeNull();
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
  it('lets configured admins, and Manage Server members of the home guild only, reindex', () => {
    const home = { adminIds: [] as string[], homeGuildId: 'g1' };
    expect(mayReindex('1', 'g1', perms(true), home)).toBe(true);
    expect(mayReindex('1', 'g2', perms(true), home)).toBe(false); // Manage Server in another guild
    expect(mayReindex('1', null, perms(true), home)).toBe(false);
    expect(mayReindex('1', 'g1', perms(true), { adminIds: [], homeGuildId: null })).toBe(false);
    expect(mayReindex('1', 'g2', perms(false), { adminIds: ['1'], homeGuildId: 'g1' })).toBe(true);
    expect(mayReindex('1', null, null, { adminIds: ['1'], homeGuildId: null })).toBe(true);
    expect(mayReindex('1', 'g1', perms(false), { adminIds: ['2'], homeGuildId: 'g1' })).toBe(false);
    expect(mayReindex('1', 'g1', null, home)).toBe(false);
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
      unreadableFolders: ['/mnt/news'],
    });
    expect(text).toContain('/mnt/news could not be read');
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
