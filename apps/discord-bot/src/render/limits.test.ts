import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ELLIPSIS, embedLength, fitEmbed, fitEmbeds, fitMessage, LIMITS, truncate } from './limits.js';

const words = (text: string) => text.replace(ELLIPSIS, '').trim().split(/\s+/);

/** Every word of `cut` (but the last, which may carry punctuation) is a whole word of `original`. */
function cutsAtWord(original: string, cut: string): boolean {
  const kept = cut.replace(/\s*…$/, '');
  return original.startsWith(kept) && (original.length === kept.length || /\s/.test(original[kept.length] ?? ' '));
}

describe('truncate', () => {
  it('returns text that fits unchanged', () => {
    expect(truncate('Short. Text.', 12)).toBe('Short. Text.');
    expect(truncate('', 0)).toBe('');
  });

  it('cuts at the last sentence end that fits, with an ellipsis', () => {
    const text = 'The first sentence is here. The second one follows. And a third that is long.';
    const out = truncate(text, 60);
    expect(out).toBe('The first sentence is here. The second one follows. …');
    expect(out.length).toBeLessThanOrEqual(60);
  });

  it('handles ! ? closing quotes and line breaks as sentence ends', () => {
    expect(truncate('He said “Go!” Then nothing happened at all for hours.', 20)).toBe('He said “Go!” …');
    expect(truncate('Line one\nLine two is much longer than the room', 14)).toBe('Line one …');
    expect(truncate('Really? Yes, really, truly and honestly so.', 12)).toBe('Really? …');
  });

  it('falls back to a word boundary when the only sentence end keeps too little', () => {
    const text = 'Hi. This is one very long sentence without any other full stop in it at all';
    const out = truncate(text, 40);
    expect(out.length).toBeLessThanOrEqual(40);
    expect(out.endsWith(ELLIPSIS)).toBe(true);
    expect(out.length).toBeGreaterThan(20);
    expect(cutsAtWord(text, out)).toBe(true);
  });

  it('never cuts inside a word', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu';
    for (let max = 6; max < text.length; max++) {
      const out = truncate(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(cutsAtWord(text, out)).toBe(true);
      for (const w of words(out)) expect(text.split(' ')).toContain(w);
    }
  });

  it('only cuts a single word longer than the room, and never splits a surrogate pair', () => {
    const url = `https://example.com/${'a'.repeat(100)}`;
    const out = truncate(url, 30);
    expect(out).toHaveLength(30);
    expect(out.endsWith(ELLIPSIS)).toBe(true);
    const emoji = '😀'.repeat(20);
    const cut = truncate(emoji, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('degenerates gracefully for tiny limits and rejects nonsense', () => {
    expect(truncate('Hello world', 1)).toBe(ELLIPSIS);
    expect(truncate('Hello world', 0)).toBe('');
    expect(() => truncate('x', -1)).toThrow(RangeError);
  });

  it('stays within the limit for many random texts', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const vocab = [
      'news',
      'Putin.',
      'Kim',
      'said',
      'a',
      'treaty!',
      'pact?',
      'horse\n',
      'Pyongyang',
      '“quote.”',
      'x'.repeat(40),
    ];
    for (let i = 0; i < 300; i++) {
      const text = Array.from(
        { length: 5 + Math.floor(rand() * 200) },
        () => vocab[Math.floor(rand() * vocab.length)],
      ).join(' ');
      const max = 1 + Math.floor(rand() * 600);
      const out = truncate(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      if (text.length <= max) expect(out).toBe(text);
      else expect(out.endsWith(ELLIPSIS)).toBe(true);
    }
  });
});

describe('fitEmbed / fitEmbeds / fitMessage', () => {
  const long = (n: number) => 'Sentence number one is here. '.repeat(Math.ceil(n / 29)).slice(0, n);

  it('cuts every part to its own limit', () => {
    const e = fitEmbed({
      title: long(400),
      description: long(5000),
      footer: { text: long(3000) },
      author: { name: long(300) },
      fields: Array.from({ length: 30 }, () => ({ name: long(300), value: long(2000) })),
    });
    expect(e.title?.length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(e.description?.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(e.footer?.text.length).toBeLessThanOrEqual(LIMITS.footerText);
    expect(e.author?.name.length).toBeLessThanOrEqual(LIMITS.authorName);
    expect(e.fields).toHaveLength(LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      expect(f.value.endsWith(`. ${ELLIPSIS}`)).toBe(true);
    }
  });

  it('never leaves a field empty (Discord rejects that)', () => {
    const e = fitEmbed({ fields: [{ name: '', value: '' }] });
    expect(e.fields?.[0]?.name.length).toBeGreaterThan(0);
    expect(e.fields?.[0]?.value.length).toBeGreaterThan(0);
  });

  it('keeps a message within 6,000 characters and 10 embeds, dropping the last fields first', () => {
    const fields = Array.from({ length: 10 }, (_, i) => ({ name: `[${i + 1}] Source`, value: long(1000) }));
    const [e, ...rest] = fitEmbeds([{ title: 'Q', description: long(1500), fields }]);
    expect(rest).toHaveLength(0);
    expect(embedLength(e as APIEmbed)).toBeLessThanOrEqual(LIMITS.embedsTotal);
    expect(e?.description).toBe(long(1500));
    expect(e?.fields?.[0]?.name).toBe('[1] Source');
    expect((e?.fields?.length ?? 0) < 10).toBe(true);

    const many = fitEmbeds(Array.from({ length: 14 }, () => ({ description: long(4096) })));
    expect(many.length).toBeLessThanOrEqual(LIMITS.embeds);
    expect(many.reduce((n, x) => n + embedLength(x), 0)).toBeLessThanOrEqual(LIMITS.embedsTotal);
  });

  it('shrinks descriptions when one field each is still too much', () => {
    const embeds: APIEmbed[] = [
      { description: long(4096), fields: [{ name: 'a', value: long(1024) }] },
      { description: long(4096), fields: [{ name: 'b', value: long(1024) }] },
    ];
    const out = fitEmbeds(embeds);
    expect(out.reduce((n, x) => n + embedLength(x), 0)).toBeLessThanOrEqual(LIMITS.embedsTotal);
    for (const e of out) expect(e.description?.endsWith(ELLIPSIS) || e.description === long(4096)).toBe(true);
  });

  it('cuts message content to 2,000 and leaves the input untouched', () => {
    const msg = { content: long(2500), embeds: [{ title: long(300) }] };
    const out = fitMessage(msg);
    expect(out.content?.length).toBeLessThanOrEqual(LIMITS.content);
    expect(out.embeds?.[0]?.title?.length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(msg.content).toHaveLength(2500);
    expect(msg.embeds[0]?.title).toHaveLength(300);
  });
});
