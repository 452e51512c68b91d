import { describe, expect, it } from 'vitest';
import type { EvalQuestion } from './questions.js';
import { isHit, MAX_PASSAGE_CHARS, normalizeForScoring, scoreQuestions } from './score.js';

const q = (over: Partial<EvalQuestion>): EvalQuestion => ({
  id: 'q',
  question: '?',
  answerable: true,
  answers: [],
  articles: ['a'],
  ...over,
});
const p = (articleId: string, text: string) => ({ articleId, text });

describe('normalizeForScoring', () => {
  it('lower-cases, straightens curly quotes and apostrophes, collapses white space', () => {
    expect(normalizeForScoring('Kim’s  “Fiery\n\tFriendship” ‘ok’')).toBe(`kim's "fiery friendship" 'ok'`);
  });
});

describe('isHit', () => {
  const question = q({ answers: ["Kim's residence"], articles: ['a', 'b'] });
  it('matches across case, curly apostrophes and line breaks', () => {
    expect(isHit(question, p('a', 'talks at KIM’S\n   residence'))).toBe(true);
  });
  it('needs one of the listed articles', () => {
    expect(isHit(question, p('c', "talks at Kim's residence"))).toBe(false);
    expect(isHit(question, p('b', "talks at Kim's residence"))).toBe(true);
  });
  it('counts a copy of a listed article that search showed in its place', () => {
    const copy = { ...p('c', "talks at Kim's residence"), alsoPublishedBy: [{ articleId: 'x' }, { articleId: 'b' }] };
    expect(isHit(question, copy)).toBe(true);
    expect(isHit(question, { ...copy, alsoPublishedBy: [{ articleId: 'x' }] })).toBe(false);
  });
  it('does not count a passage over 1,200 characters, even when it contains the answer', () => {
    const long = `Kim's residence ${'x'.repeat(MAX_PASSAGE_CHARS)}`;
    expect(isHit(question, p('a', long))).toBe(false);
    expect(isHit(question, p('a', long.slice(0, MAX_PASSAGE_CHARS)))).toBe(true);
  });
  it('with empty answers any passage of the articles is a hit; never for unanswerable questions', () => {
    expect(isHit(q({ answers: [] }), p('a', 'anything'))).toBe(true);
    expect(isHit(q({ answers: [] }), p('z', 'anything'))).toBe(false);
    expect(isHit(q({ answerable: false, articles: [] }), p('a', 'anything'))).toBe(false);
  });
  it('is a substring match after normalising, not a word match', () => {
    expect(isHit(q({ answers: ['horse'] }), p('a', 'fed carrots to horses'))).toBe(true);
    expect(isHit(q({ answers: ['hor se'] }), p('a', 'a horse'))).toBe(false);
  });
});

describe('scoreQuestions', () => {
  const questions: EvalQuestion[] = [
    q({ id: 'r1', answers: ['x'] }),
    q({ id: 'r3', answers: ['x'] }),
    q({ id: 'r7', answers: ['x'] }),
    q({ id: 'miss', answers: ['x'] }),
    q({ id: 'u1', answerable: false, articles: [] }),
    q({ id: 'u2', answerable: false, articles: [] }),
  ];
  const at = (rank: number) => Array.from({ length: 12 }, (_, i) => p('a', i + 1 === rank ? 'x' : 'y'));
  const outcomes = new Map([
    ['r1', { passages: at(1), abstained: false }],
    ['r3', { passages: at(3), abstained: false }],
    ['r7', { passages: at(7), abstained: true }],
    ['miss', { passages: at(11), abstained: false }], // rank 11 is outside MRR@10
    ['u1', { passages: at(1), abstained: true }],
    ['u2', { passages: [], abstained: false }],
  ]);
  const r = scoreQuestions(questions, outcomes);

  it('computes hit@k and MRR@10 over answerable questions only', () => {
    expect(r.n).toBe(4);
    expect(r.hitAt1).toBe(0.25);
    expect(r.hitAt3).toBe(0.5);
    expect(r.hitAt5).toBe(0.5);
    expect(r.mrr10).toBeCloseTo((1 + 1 / 3 + 1 / 7 + 0) / 4, 12);
    expect(r.perQuestion.map((s) => s.firstHitRank)).toEqual([1, 3, 7, null, null, null]);
  });
  it('counts right outcomes: unanswerable abstained + answerable answered', () => {
    // right: r1, r3, miss (answered), u1 (abstained); wrong: r7 (abstained), u2 (answered)
    expect(r.abstention).toEqual({ correct: 4, wrong: 2, unanswerable: 2, abstainedUnanswerable: 1 });
    expect(r.answeredRate).toBe(0.75);
  });
  it('scores a question without an outcome as a miss and an abstention', () => {
    const s = scoreQuestions([q({ id: 'lost', answers: ['x'] })], new Map());
    expect(s.hitAt5).toBe(0);
    expect(s.perQuestion[0]).toMatchObject({ firstHitRank: null, abstained: true, outcomeCorrect: false });
  });
});
