import { describe, expect, it } from 'vitest';
import { articleReferenceDate } from './article-date.js';
import { resolveTimeExpressions } from './resolve.js';

/** [text, article date, expected expressions as `expression=value/precision`] */
export const CASES: [string, string | null, string[]][] = [
  ['The Kremlin leader arrived early Wednesday.', '2024-06-19', ['Wednesday=2024-06-19/day']],
  ['aired on Korean Central Television on Thursday', '2024-06-21', ['Thursday=2024-06-20/day']],
  ['aired on Thursday', '2024-06-19', ['Thursday=2024-06-13/day']],
  ['They met on Friday.', '2024-01-02', ['Friday=2023-12-29/day']],
  ['He left on Wednesday.', null, ['Wednesday=null/day']],
  ['gifted Kim the limousine in February this year', '2024-06-21', ['February this year=2024-02/month']],
  ['in February this year', null, ['February this year=null/month']],
  ['since Kim visited Russia last year', '2024-06-19', ['last year=2023/year']],
  ['sales fell last year', '2024-01-03', ['last year=2023/year']],
  ['earlier this year', '2024-01-03', ['this year=2024/year']],
  ['prices rose last month', '2024-01-15', ['last month=2023-12/month']],
  ['announced earlier this month', '2024-06-19', ['earlier this month=2024-06/month']],
  ['his first to North Korea in 24 years', '2024-06-21', ['in 24 years=2000/year']],
  ['his first to North Korea in 24 years', null, ['in 24 years=null/year']],
  ['two years ago', '2024-06-19', ['two years ago=2022/year']],
  ['first visit to North Korea since 2000', null, ['2000=2000/year']],
  ['the president of China, visited in 2019', '2024-06-19', ['2019=2019/year']],
  ['sending 5000 shells and 2000 troops', '2024-06-19', []],
  ['since he won a presidential election in March', '2024-06-19', ['March=2024-03/month']],
  ['won an election in March, highlighting', '2024-06-19', ['March=2024-03/month']],
  ['The talks are planned for May.', '2024-02-10', []],
  ['The talks took place in May.', '2024-06-19', ['May=2024-05/month']],
  ['Kim may visit Moscow.', '2024-06-19', []],
  ['May I ask a question?', '2024-06-19', []],
  ['It happened last summer.', '2024-06-19', ['last summer=2023/year']],
  ['It happened last summer.', '2024-10-01', ['last summer=2024/year']],
  ['in the summer of 2023', null, ['summer of 2023=2023/year']],
  ['posted 21 June 2024', null, ['21 June 2024=2024-06-21/day']],
  ['posted June 21, 2024', null, ['June 21, 2024=2024-06-21/day']],
  ['posted 2024-06-21', null, ['2024-06-21=2024-06-21/day']],
  ['He arrived yesterday.', '2024-03-01', ['yesterday=2024-02-29/day']],
  ['He arrived yesterday.', null, ['yesterday=null/day']],
  ['It will start next week.', '2024-06-19', ['next week=2024-06-26/day']],
  ['Kim had greeted Putin earlier in the day in Pyongyang', '2024-06-19', []],
];

const show = (text: string, date: string | null) =>
  resolveTimeExpressions(text, date).map((e) => `${e.expression}=${e.value}/${e.precision}`);

describe('resolveTimeExpressions', () => {
  it.each(CASES)('%s (article %s)', (text, date, expected) => {
    expect(show(text, date)).toEqual(expected);
  });

  // Each weekday against each publication weekday (Sun 16 … Sat 22 June 2024): the day on or
  // before the publication date, at most 6 days back. Expected by counting back on Date objects.
  const names = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  for (let pub = 16; pub <= 22; pub++) {
    it(`every weekday in an article of 2024-06-${pub} (${names[new Date(Date.UTC(2024, 5, pub)).getUTCDay()]})`, () => {
      for (const name of names) {
        let day = new Date(Date.UTC(2024, 5, pub));
        while (names[day.getUTCDay()] !== name) day = new Date(day.getTime() - 86_400_000);
        const expected = day.toISOString().slice(0, 10);
        expect(show(`on ${name}`, `2024-06-${pub}`)).toEqual([`${name}=${expected}/day`]);
        expect(Date.UTC(2024, 5, pub) - day.getTime()).toBeLessThan(7 * 86_400_000);
      }
    });
  }

  it('gives offsets into the article, so `text.slice(start, end)` is the expression', () => {
    const text = 'Putin flew into Pyongyang before dawn on Wednesday after an eight-hour flight.';
    const [e] = resolveTimeExpressions(text, '2024-06-19', 100);
    expect(e).toMatchObject({ expression: 'Wednesday', start: 100 + text.indexOf('Wednesday'), value: '2024-06-19' });
    expect(text.slice((e?.start ?? 0) - 100, (e?.end ?? 0) - 100)).toBe('Wednesday');
  });

  it('ignores an invalid article date rather than guessing', () => {
    expect(show('on Wednesday', '2024-02-30')).toEqual(['Wednesday=null/day']);
  });
});

describe('articleReferenceDate', () => {
  it('is the stated date, else the latest full date the article writes out, else null', () => {
    expect(articleReferenceDate('2024-06-19', 'posted June 21, 2024')).toBe('2024-06-19');
    expect(articleReferenceDate(undefined, 'met 2 May 2023. — @x June 21, 2024')).toBe('2024-06-21');
    expect(articleReferenceDate(undefined, 'Kim left Russia on Sunday, last year.')).toBeNull();
  });
});
