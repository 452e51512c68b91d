import { describe, expect, it } from 'vitest';
import { scoreDates } from './dates.js';
import { parseQuestions } from './questions.js';

const line = (id: string, date?: string | null) =>
  JSON.stringify({
    id,
    question: 'When?',
    answerable: true,
    answers: [],
    articles: ['a'],
    ...(date === undefined ? {} : { date }),
  });

describe('scoreDates', () => {
  const questions = parseQuestions(
    [line('y', '2000'), line('m', '2024-02'), line('u', null), line('plain')].join('\n'),
    'set',
  );
  it('counts exact values (same precision) and names invented dates for undated evidence', () => {
    const s = scoreDates(
      questions,
      new Map([
        ['y', '2000'],
        ['m', '2024'],
        ['u', '2024-06-19'],
      ]),
    );
    expect(s).toMatchObject({ n: 3, correct: 1, invented: 1 });
    expect(s?.perQuestion.map((p) => p.correct)).toEqual([true, false, false]);
  });
  it('scores "no date" right for undated evidence, and is null for sets without dates', () => {
    expect(scoreDates(questions, new Map([['u', null]]))?.correct).toBe(1);
    expect(scoreDates(questions.slice(3), new Map())).toBeNull();
  });
  it('rejects a date that is not ISO YYYY, YYYY-MM or YYYY-MM-DD', () => {
    expect(() => parseQuestions(line('bad', 'June 2024'), 'set')).toThrow(/date/);
  });
});
