/**
 * End to end like bot.e2e.test.ts, on articles that need the shared BBC corpus
 * (`npm run test:corpus`): a long answer with ten sources against Discord's limits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '@newsrag/discord-bot/internals';
import { BBC_CORPUS } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askOptions, bodyOf, type Harness, startHarness, TEST_TOKEN, textOf, waitForEdit } from './harness.js';

/** Real BBC articles rewritten into very long sentences, to push answers against Discord's limits. */
const BBC_TECH = `${BBC_CORPUS}/tech`;
function longSentenceArticles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of ['001', '002', '003', '004', '005', '006']) {
    const [title = '', ...body] = readFileSync(join(BBC_TECH, `${n}.txt`), 'utf8').split('\n');
    // Every paragraph becomes one sentence of several hundred characters.
    const paragraphs = body
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/([.!?]) (?=[A-Z"])/g, (_m, p: string) => (p === '.' ? ', and ' : `${p} `));
    out[`9${n}_long_sentences.txt`] = `${title}\n\n${paragraphs}\n`;
  }
  return out;
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ extraArticles: longSentenceArticles() });
});

afterAll(async () => {
  await h?.close();
});

describe('/ask', () => {
  it('keeps a long answer with ten sources within every Discord limit', async () => {
    const sent = h.standin.sendCommand({
      name: 'ask',
      options: askOptions('How is the Kyrgyz Republic using invisible ink and ultraviolet readers in its elections?', {
        sources: 10,
      }),
    });
    const edit = await waitForEdit(h.standin, sent);
    // The stand-in answers 400 and records a violation for any limit broken.
    expect(edit.status).toBe(200);
    expect(edit.violations).toEqual([]);
    const embed = bodyOf(edit).embeds?.[0];
    expect(textOf(bodyOf(edit))).toMatch(/invisible ink/);
    // The long sentences were cut (with an ellipsis), not sent whole.
    expect(embed?.fields?.some((f) => f.value.includes('…'))).toBe(true);
    expect(embed?.fields?.length).toBeGreaterThanOrEqual(3);
    for (const f of embed?.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    const total =
      (embed?.title?.length ?? 0) +
      (embed?.description?.length ?? 0) +
      (embed?.footer?.text.length ?? 0) +
      (embed?.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(LIMITS.embedsTotal);
  });
});

describe('hygiene, over the test above', () => {
  it('sent nothing that breaks Discord limits, and never logged the token', () => {
    expect(h.standin.calls.length).toBeGreaterThan(0);
    expect(h.standin.violations).toEqual([]);
    expect(h.logs.join('\n')).not.toContain(TEST_TOKEN);
  });
});
