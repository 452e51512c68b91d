import { describe, expect, it } from 'vitest';
import { helpfulDates, humanDate } from '../dates/human.js';
import type { TimeExpression } from '../dates/types.js';
import { asksWhen, whenOf } from './when.js';

const d = (expression: string, value: string | null, precision: TimeExpression['precision']): TimeExpression => ({
  expression,
  start: 0,
  end: expression.length,
  value,
  precision,
});

describe('asksWhen', () => {
  it('recognises when-questions and the asked precision', () => {
    expect(asksWhen('When did Putin win the election?')).toEqual({ precision: null });
    expect(asksWhen('In what year had Putin last visited?')).toEqual({ precision: 'year' });
    expect(asksWhen('On which day did they meet?')).toEqual({ precision: 'day' });
    expect(asksWhen('On what date did Putin arrive?')).toEqual({ precision: 'day' });
    expect(asksWhen('What dog breed did Kim give Putin?')).toBeNull();
  });
});

describe('whenOf', () => {
  it('takes the first quote speaking at the asked precision', () => {
    const citations = [{ dates: [d('Sunday', null, 'day')] }, { dates: [d('last year', '2023', 'year')] }];
    expect(whenOf('In which year did Kim visit Russia?', citations)).toBe('2023');
  });
  it('is null when the answering quote is undated, and never borrows another article’s date', () => {
    const citations = [{ dates: [d('Wednesday', null, 'day')] }, { dates: [d('Wednesday', '2024-06-19', 'day')] }];
    expect(whenOf('On which day did they meet?', citations)).toBeNull();
  });
  it('cuts a finer value to the asked precision, and is null for other questions or no dates', () => {
    expect(whenOf('In what year did he arrive?', [{ dates: [d('Wednesday', '2024-06-19', 'day')] }])).toBe('2024');
    expect(whenOf('When did he arrive?', [{ dates: [d('Wednesday', '2024-06-19', 'day')] }])).toBe('2024-06-19');
    expect(whenOf('Who arrived?', [{ dates: [d('Wednesday', '2024-06-19', 'day')] }])).toBeNull();
    expect(whenOf('When did he arrive?', [{ dates: [] }, {}])).toBeNull();
  });
});

describe('humanDate / helpfulDates', () => {
  it('writes ISO values for people and shows only dates the quote does not spell out', () => {
    expect(humanDate('2024-02')).toBe('February 2024');
    expect(humanDate('2024-06-19')).toBe('19 June 2024');
    expect(humanDate('2000')).toBe('2000');
    expect(
      helpfulDates([d('February this year', '2024-02', 'month'), d('2000', '2000', 'year'), d('Sunday', null, 'day')]),
    ).toEqual(['February 2024']);
  });
});
