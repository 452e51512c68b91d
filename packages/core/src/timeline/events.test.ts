import { describe, expect, it } from 'vitest';
import { resolveTimeExpressions } from '../dates/resolve.js';
import { buildTimeline, type DatedSentence } from './events.js';

const sentence = (articleId: string, text: string, date: string | null, start = 0): DatedSentence => ({
  articleId,
  start,
  end: start + text.length,
  text,
  dates: resolveTimeExpressions(text, date, start),
});

describe('buildTimeline', () => {
  const t = buildTimeline('Putin and Kim', [
    sentence('a', 'Putin arrived early Wednesday.', '2024-06-21', 10),
    sentence('b', 'This was his first visit since 2000.', '2024-06-19'),
    sentence('b', 'Putin flew in on Wednesday.', '2024-06-19', 50),
    sentence('a', 'Putin landed on Wednesday, a day late.', '2024-06-21', 90),
    sentence('c', 'Kim left on Sunday.', null),
    sentence('a', 'He gave Kim a car in February this year.', '2024-06-21', 200),
  ]);
  it('sorts events oldest first, a year before the months within it', () => {
    expect(t.events.map((e) => `${e.date}/${e.precision}`)).toEqual(['2000/year', '2024-02/month', '2024-06-19/day']);
  });
  it('cites every article reporting an event once, quoting the best-ranked sentence', () => {
    const arrival = t.events.find((e) => e.date === '2024-06-19');
    expect(arrival?.text).toBe('Putin arrived early Wednesday.');
    expect(arrival?.citations).toEqual([
      { articleId: 'a', start: 10, end: 40 },
      { articleId: 'b', start: 50, end: 77 },
    ]);
  });
  it('lists sentences whose dates cannot be resolved apart, without inventing one', () => {
    expect(t.undated).toEqual([
      { expressions: ['Sunday'], text: 'Kim left on Sunday.', citations: [{ articleId: 'c', start: 0, end: 19 }] },
    ]);
  });
});
