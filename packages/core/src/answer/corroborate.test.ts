import { describe, expect, it } from 'vitest';
import { type ComparableSentence, corroborates, groupCorroborations } from './corroborate.js';
import { factKeys } from './facts.js';

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return new Float32Array(xs.map((x) => x / n));
};
const rule = { minCosine: 0.8, minSharedTerms: 2, minCoverageRatio: 0.7 };
const s = (
  articleId: string,
  text: string,
  vector: Float32Array,
  coverage: number,
  date?: string,
): ComparableSentence => ({
  articleId,
  text,
  vector,
  coverage,
  ...(date ? { date } : {}),
});

describe('factKeys', () => {
  it('reads numbers and years, and resolves "in N years" against the article date', () => {
    expect(factKeys('400 portraits since 2000')).toEqual(new Set(['n:400', 'y:2000']));
    expect(factKeys('his first to the country in 24 years.', '2024-06-21')).toEqual(new Set(['n:24', 'y:2000']));
    expect(factKeys('his first to the country in 24 years.')).toEqual(new Set(['n:24']));
    expect(factKeys('5 million shells, 793,000 barrels')).toEqual(new Set(['n:5', 'n:793000']));
  });
});

describe('corroborates', () => {
  const v = unit(1, 0.1);
  const since2000 = s('b', 'This was Putin’s first visit to North Korea since 2000.', v, 0.52, '2024-06-19');
  const in24 = s(
    'a',
    'Notably, the Russian President’s visit was his first to the country in 24 years.',
    unit(1, 0.2),
    0.13,
    '2024-06-21',
  );
  const kim = s(
    'c',
    'Kim arrived on Tuesday for his first foreign visit since the Covid-19 pandemic.',
    unit(1, 0.15),
    0.39,
    '2023-09-17',
  );
  const q = new Set(['putin', 'previou', 'visit', 'north', 'korea']);

  it('matches the same year phrased two ways, even when the wording overlaps little', () => {
    expect(corroborates(since2000, in24, q, rule)).toBe(true);
  });
  it('does not match a similar sentence about a different fact', () => {
    expect(corroborates(since2000, kim, q, rule)).toBe(false);
    expect(corroborates(since2000, kim, q, { ...rule, minSharedTerms: 1 })).toBe(true); // why the standin needs 2
  });
  it('a number the question itself names is not evidence of agreement', () => {
    expect(corroborates(since2000, in24, q, rule, new Set(['y:2000']))).toBe(false);
  });
  it('never within one article, never below the cosine floor', () => {
    expect(corroborates(since2000, { ...in24, articleId: 'b' }, q, rule)).toBe(false);
    expect(corroborates(since2000, { ...in24, vector: unit(0, 1) }, q, rule)).toBe(false);
  });
  it('shared terms count only beyond the question and when both cover the question alike', () => {
    const a = s('a', 'Putin gifted Kim a Russian-built limousine.', v, 0.6);
    const b = s('b', 'Putin gifted Kim a Russian-made luxury car.', v, 0.6);
    const gift = new Set(['putin', 'gift', 'kim']);
    expect(corroborates(a, b, gift, { ...rule, minSharedTerms: 1 })).toBe(true); // "russian" is shared and not asked about
    expect(corroborates(a, b, gift, rule)).toBe(false); // …but one shared word is not enough
    expect(corroborates(a, b, new Set([...gift, 'russian']), { ...rule, minSharedTerms: 1 })).toBe(false);
    expect(corroborates(a, { ...b, coverage: 0.2 }, gift, { ...rule, minSharedTerms: 1 })).toBe(false);
  });
  it('two shared words in otherwise different long sentences are not agreement', () => {
    // Seen in the bot's tests: the "10 hours" answer was reported as corroborated by a banquet sentence.
    const q = new Set(['hour', 'putin', 'kim', 'spend', 'together', 'visit']);
    const hours = s(
      '000',
      'The two leaders spent more than 10 hours together during the one-day visit, as per TASS News agency.',
      v,
      0.6,
    );
    const banquet = s(
      '001',
      'Putin is due to dine with Kim at a state banquet and listen to a concert before heading to Communist-run Vietnam for a two-day visit.',
      v,
      0.5,
    );
    expect(corroborates(hours, banquet, q, rule)).toBe(false);
    expect(corroborates(hours, banquet, q, { ...rule, minSharedShare: 0 })).toBe(true); // the share is what rejects it
  });
});

describe('groupCorroborations', () => {
  it('groups agreeing citations of different articles by marker', () => {
    const v = unit(1, 0);
    const cited = [
      s('x', 'It was his first visit since 2000.', v, 0.5),
      s('y', 'The leader had last come in 2000.', v, 0.5),
      s('x', 'Another sentence from x with 2000 in it.', v, 0.5),
    ];
    expect(groupCorroborations(cited, new Set(), rule)).toEqual([
      { markers: [1, 2, 3], articleIds: ['x', 'y'], count: 2 },
    ]);
    expect(
      groupCorroborations([cited[0] as ComparableSentence, cited[2] as ComparableSentence], new Set(), rule),
    ).toEqual([]);
  });
});

describe('corroboration counts reports, not copies', () => {
  const v = unit(1, 0.1);
  const text = 'The pier will close for eighteen months from April for repairs.';
  it('copies of one story never corroborate each other, and count once', () => {
    const wire = { ...s('wire', text, v, 0.5), report: 'wire' };
    const copy = { ...s('herald', text, v, 0.5), report: 'wire' };
    const other = { ...s('observer', 'The pier will close for eighteen months from April, officials said.', v, 0.5) };
    expect(corroborates(wire, copy, new Set(), rule)).toBe(false);
    expect(groupCorroborations([wire, copy], new Set(), rule)).toEqual([]);
    const [g] = groupCorroborations([wire, other], new Set(), rule);
    expect(g).toEqual({ markers: [1, 2], articleIds: ['wire', 'observer'], count: 2 });
  });
});
