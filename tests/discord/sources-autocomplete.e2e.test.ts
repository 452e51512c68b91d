/**
 * `/sources article:` through the stand-in with the real discord.js client: the autocomplete
 * offers the indexed articles whose title contains what was typed (Discord's limits kept), and
 * the chosen article is shown; an unknown one is refused ephemerally.
 */

import { snowflake } from '@newsrag/test-support/discord';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, type Harness, startHarness, textOf, waitForCallback } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Sends an autocomplete interaction (type 4) for `/sources article:<typed>`; returns its choices. */
async function autocomplete(typed: string): Promise<Array<{ name: string; value: string }>> {
  const sent = h.standin.sendInteraction({
    type: 4,
    data: {
      id: snowflake(),
      name: 'sources',
      type: 1,
      options: [{ name: 'article', type: 3, value: typed, focused: true }],
    },
  });
  const call = await waitForCallback(h.standin, sent);
  const body = call.body as { type: number; data: { choices: Array<{ name: string; value: string }> } };
  expect(body.type).toBe(8);
  return body.data.choices;
}

describe('/sources article autocomplete', () => {
  it('offers the articles whose title contains what was typed, within Discord limits', async () => {
    const articles = h.kb.articles();
    const target = articles.find((a) => (a.meta.title ?? '').length > 10);
    if (!target?.meta.title) throw new Error('the seed articles have titles');
    const fragment = target.meta.title.slice(3, 10).toLowerCase();
    const choices = await autocomplete(fragment);
    expect(choices.map((c) => c.value)).toContain(target.id);
    for (const c of choices) {
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.name.length).toBeLessThanOrEqual(100);
      const a = articles.find((x) => x.id === c.value);
      expect(`${a?.meta.title ?? ''} ${a?.id}`.toLowerCase()).toContain(fragment);
    }
    expect(await autocomplete('zzqx no such title')).toEqual([]);
    expect((await autocomplete('')).length).toBe(Math.min(25, articles.length));
  });

  it('shows the chosen article, and refuses an unknown one ephemerally', async () => {
    const target = h.kb.articles()[0];
    if (!target) throw new Error('no articles');
    const sent = h.standin.sendCommand({ name: 'sources', options: [{ name: 'article', type: 3, value: target.id }] });
    const reply = await waitForCallback(h.standin, sent);
    const text = textOf(bodyOf({ ...reply, body: (reply.body as { data: unknown }).data }));
    expect(text).toContain(`${target.chunkCount} passages`);
    expect(text).toContain(target.meta.date ?? '');
    const bad = h.standin.sendCommand({ name: 'sources', options: [{ name: 'article', type: 3, value: 'nope' }] });
    const refusal = (await waitForCallback(h.standin, bad)).body as { data: { content: string; flags: number } };
    expect(refusal.data.content).toMatch(/^No indexed article has that title or id/);
    expect(refusal.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });
});
