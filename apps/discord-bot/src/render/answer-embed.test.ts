import type { Answer, Citation, Passage } from '@newsrag/core';
import { describe, expect, it } from 'vitest';
import { ABSTAIN_TEXT, BUTTON_IDS, renderAnswer, renderMorePassages, shownChunkIds } from './answer-embed.js';
import { embedLength, LIMITS } from './limits.js';

function passage(i: number, over: Partial<Passage> = {}): Passage {
  const text = over.text ?? `Passage ${i} text. It has two sentences.`;
  return {
    end: text.length,
    rank: i,
    chunkId: `art${i}#0`,
    articleId: `art${i}`,
    title: `Article ${i}`,
    date: '2024-06-19',
    text: `Passage ${i} text. It has two sentences.`,
    start: 0,
    score: 1 / i,
    retrievers: {},
    ...over,
  };
}

function citation(marker: number, p: Passage, quote: string): Citation {
  return {
    marker,
    articleId: p.articleId,
    title: p.title,
    date: p.date,
    url: p.url,
    quote,
    start: p.start,
    end: p.start + quote.length,
    passage: p.text,
    passageStart: p.start,
    passageEnd: p.end,
    score: 0.9,
  };
}

const P1 = passage(1, {
  url: 'https://news.example/putin-kim',
  text: 'The two leaders spent more than 10 hours together. Then they parted.',
});

function answer(over: Partial<Answer> = {}): Answer {
  const p1 = P1;
  const p2 = passage(2, { title: undefined, date: undefined });
  return {
    id: 'a1b2c3',
    question: 'How long were they together?',
    answer: '"The two leaders spent more than 10 hours together." [1]',
    abstained: false,
    confidence: 0.8,
    notFound: [],
    citations: [citation(1, p1, 'The two leaders spent more than 10 hours together.')],
    corroborations: [],
    passages: [p1, p2, passage(3), passage(4)],
    timings: { embedMs: 1, searchMs: 1, answerMs: 1, totalMs: 3 },
    ...over,
  };
}

describe('renderAnswer', () => {
  it('leads with the date when the answer has one (a "when" question), and only then', () => {
    const dated = renderAnswer(answer({ when: '2024-02' }), { sources: 1, elapsedMs: 1 }).embeds[0];
    expect(dated?.description?.split('\n')[0]).toBe('**When:** February 2024');
    for (const when of [null, undefined]) {
      const plainAnswer = renderAnswer(answer({ when }), { sources: 1, elapsedMs: 1 }).embeds[0];
      expect(plainAnswer?.description).not.toMatch(/When:/);
    }
  });

  it('shows the quoted answer, its cited source with link and excerpt, and the time', () => {
    const { embeds, components } = renderAnswer(answer(), { sources: 3, elapsedMs: 123.4 });
    expect(embeds).toHaveLength(1);
    const e = embeds[0];
    expect(e?.title).toBe('How long were they together?');
    expect(e?.description).toContain('more than 10 hours together." [1]');
    expect(e?.fields?.[0]?.name).toBe('[1] Article 1 (2024-06-19)');
    expect(e?.fields?.[0]?.value).toContain('<https://news.example/putin-kim>');
    expect(e?.fields?.[0]?.value).toContain('> The two leaders spent more than 10 hours together.');
    expect(e?.fields).toHaveLength(3);
    // A passage without title or url is shown by its file id.
    expect(e?.fields?.[1]?.name).toBe('art2');
    expect(e?.fields?.[1]?.value).toContain('File: `art2`');
    expect(e?.footer?.text).toContain('123 ms');
    const ids = components[0]?.components.map((c) => ('custom_id' in c ? c.custom_id : ''));
    expect(ids).toEqual([BUTTON_IDS.more('a1b2c3'), BUTTON_IDS.helpful('a1b2c3'), BUTTON_IDS.notHelpful('a1b2c3')]);
  });

  it('says "reported by N articles" for corroborated sentences', () => {
    const base = answer();
    const p3 = passage(3);
    const a = answer({
      answer: '"They spent more than 10 hours together." [1] "The visit lasted over ten hours." [2]',
      citations: [...base.citations, citation(2, p3, 'The visit lasted over ten hours.')],
      corroborations: [{ markers: [1, 2], articleIds: ['art1', 'art3'], count: 2 }],
    });
    const e = renderAnswer(a, { sources: 2, elapsedMs: 10 }).embeds[0];
    expect(e?.description).toContain('[1][2] reported by 2 articles');
    expect(e?.fields?.[0]?.value).toContain('Reported by 2 articles');
    expect(e?.fields?.[1]?.name).toBe('[2] Article 3 (2024-06-19)');
  });

  it('names the other outlets that published the same story, escaped', () => {
    const copies = [
      { articleId: 'herald/pier', source: 'The *Herald*', date: '2025-03-04' },
      { articleId: 'gazette/pier', title: '[Click](https://evil.example)' },
      { articleId: 'post/pier-short' },
    ];
    const p1 = { ...P1, alsoPublishedBy: copies };
    const a = answer({
      citations: [
        { ...citation(1, p1, 'The two leaders spent more than 10 hours together.'), alsoPublishedBy: copies },
      ],
      passages: [p1, passage(2, { alsoPublishedBy: [{ articleId: 'wire/2', source: 'Wire' }] })],
    });
    const e = renderAnswer(a, { sources: 2, elapsedMs: 10 }).embeds[0];
    const cited = e?.fields?.[0]?.value ?? '';
    expect(cited).toContain('Also published by The \\*Herald\\*, ');
    expect(cited).toContain('post/pier-short');
    expect(cited).not.toContain('](https');
    expect(e?.fields?.[1]?.value).toContain('Also published by Wire');
    expect(renderAnswer(answer(), { sources: 2, elapsedMs: 10 }).embeds[0]?.fields?.[0]?.value).not.toContain(
      'Also published',
    );
  });

  it('abstains kindly and shows the closest passages', () => {
    const a = answer({
      answer: null,
      abstained: true,
      citations: [],
      question: 'Who won the football match between Brazil and Argentina?',
    });
    const e = renderAnswer(a, { sources: 2, elapsedMs: 10 }).embeds[0];
    expect(e?.description).toBe(ABSTAIN_TEXT);
    expect(e?.fields?.map((f) => f.name)).toEqual(['Article 1 (2024-06-19)', 'art2']);
  });

  it('lists every cited source even when fewer sources were asked for', () => {
    const base = answer();
    const a = answer({ citations: [...base.citations, citation(2, passage(3), 'Passage 3 text.')] });
    expect(renderAnswer(a, { sources: 1, elapsedMs: 1 }).embeds[0]?.fields).toHaveLength(2);
    expect(shownChunkIds(a, 1)).toEqual(['art1#0', 'art3#0']);
  });

  it('escapes Markdown from articles so it cannot restyle the message', () => {
    const p = passage(1, { text: 'A *bold* claim with __underline__ and `code`.' });
    const e = renderAnswer(answer({ abstained: true, answer: null, citations: [], passages: [p] }), {
      sources: 1,
      elapsedMs: 1,
    }).embeds[0];
    expect(e?.fields?.[0]?.value).toContain('A \\*bold\\* claim with \\_\\_underline\\_\\_ and \\`code\\`.');
  });

  it('escapes masked links, headings and lists from articles and questions, and shows only safe URLs', () => {
    const hostile = passage(1, {
      title: '[Official statement](https://evil.example/login)',
      text: '# BREAKING\n- [Click here](https://evil.example) or [here] (https://evil.example) or [x](<https://evil.example>)',
      url: 'javascript:alert(1)',
    });
    const links = [
      passage(2, { url: 'https://news.example/a b' }),
      passage(3, { url: 'https://news.example/a>b' }),
      passage(4, { url: 'https://discord.com@evil.example/' }),
      passage(5, { url: 'https://news.example/ok?q=1' }),
    ];
    const rendered = renderAnswer(
      answer({
        question: '[Free nitro](https://evil.example) # now',
        abstained: true,
        answer: null,
        citations: [],
        passages: [hostile, ...links],
      }),
      { sources: 5, elapsedMs: 1 },
    );
    const e = rendered.embeds[0];
    const all = JSON.stringify(e);
    // No masked link survives: every "](" or "] (" has its parenthesis escaped.
    expect(all).not.toMatch(/\](\s*)[(<]/);
    expect(e?.fields?.[0]?.value).toContain('\\# BREAKING - \\[Click here]\\(https://evil.example)');
    expect(e?.fields?.[0]?.value.split('\n')[0]).toBe('File: `art1`'); // javascript: URL refused
    expect(e?.fields?.map((f) => f.value.split('\n')[0])).toEqual([
      'File: `art1`',
      'File: `art2`',
      'File: `art3`',
      'File: `art4`',
      '<https://news.example/ok?q=1>',
    ]);
    expect(e?.title).toBe('\\[Free nitro]\\(https://evil.example) # now');
  });

  it('stays within every Discord limit with ten very long sources and a long question', () => {
    const longSentence = `${'word '.repeat(400)}end.`;
    const passages = Array.from({ length: 12 }, (_, i) =>
      passage(i + 1, { title: 'T'.repeat(300), text: longSentence.repeat(3) }),
    );
    const a = answer({
      question: 'Why? '.repeat(100),
      answer: `"${longSentence.repeat(3)}" [1]`,
      citations: [citation(1, passages[0] as Passage, longSentence)],
      passages,
    });
    const { embeds } = renderAnswer(a, { sources: 10, elapsedMs: 1 });
    const e = embeds[0];
    expect(e?.title?.length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(e?.description?.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    for (const f of e?.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    expect(embeds.reduce((n, x) => n + embedLength(x), 0)).toBeLessThanOrEqual(LIMITS.embedsTotal);
    expect(e?.fields?.length).toBe(10);
  });
});

describe('renderMorePassages', () => {
  it('lists the new passages, or says there are none', () => {
    const more = renderMorePassages('Q?', [passage(5), passage(6)]).embeds[0];
    expect(more?.fields?.map((f) => f.name)).toEqual(['Article 5 (2024-06-19)', 'Article 6 (2024-06-19)']);
    expect(renderMorePassages('Q?', []).embeds[0]?.description).toMatch(/No further passages/);
  });
});

describe('renderAnswer with extra passages', () => {
  it('fills the requested sources from a wider search, without repeating a passage', () => {
    // The cited passage is only among the extra passages: it is still recognised as cited.
    const a = answer({ passages: [] });
    const extra = [P1, passage(7), passage(8)];
    const e = renderAnswer(a, { sources: 3, elapsedMs: 1, extraPassages: extra }).embeds[0];
    expect(e?.fields?.map((f) => f.name)).toEqual([
      '[1] Article 1 (2024-06-19)',
      'Article 7 (2024-06-19)',
      'Article 8 (2024-06-19)',
    ]);
    expect(shownChunkIds(a, 3, extra)).toEqual(['art1#0', 'art7#0', 'art8#0']);
  });
});
