import { describe, expect, it } from 'vitest';
import { NewsragError } from '../errors.js';
import { resolveSearchOptions } from './options.js';
import { MAX_QUESTION_CHARS, prepareQuestion } from './question.js';

describe('resolveSearchOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveSearchOptions()).toMatchObject({ k: 5, mode: 'hybrid', perArticleCap: 2, rrfK: 60, candidates: 50 });
  });
  it.each([
    [{ k: 0 }, 'k'],
    [{ k: 2.5 }, 'k'],
    [{ mode: 'fuzzy' as 'dense' }, 'mode'],
    [{ rrfK: -1 }, 'rrfK'],
    [{ denseWeight: Number.NaN }, 'denseWeight'],
    [{ filter: { dateFrom: '19 June 2024' } }, 'filter.dateFrom'],
    [{ mmrLambda: 1.5 }, 'mmrLambda'],
    [{ duplicateCosine: -0.1 }, 'duplicateCosine'],
    [{ filter: { dateFrom: '2024-07-01', dateTo: '2024-06-01' } }, 'filter.dateFrom'],
  ])('rejects %o naming the field', (opts, field) => {
    let err: unknown;
    try {
      resolveSearchOptions(opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NewsragError);
    expect((err as NewsragError).code).toBe('BAD_OPTIONS');
    expect((err as NewsragError).message).toContain(`\`${field}\``);
  });
  it('never takes fewer candidates than passages asked for', () => {
    expect(resolveSearchOptions({ k: 80, candidates: 10 }).candidates).toBe(80);
  });
});

describe('prepareQuestion', () => {
  it('rejects empty and whitespace-only questions with BAD_QUESTION', () => {
    for (const q of ['', '   ', '\n\t']) {
      expect(() => prepareQuestion(q)).toThrow(expect.objectContaining({ code: 'BAD_QUESTION' }));
    }
  });
  it('collapses white space and truncates long questions at a word boundary', () => {
    expect(prepareQuestion('  Who   won?\n')).toBe('Who won?');
    const long = 'word '.repeat(1000);
    const q = prepareQuestion(long);
    expect(q.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(q.length).toBeGreaterThan(MAX_QUESTION_CHARS - 10);
    expect(q.endsWith('word')).toBe(true);
  });
});
