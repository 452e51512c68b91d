import { describe, expect, it } from 'vitest';
import { answerType, typeMatch } from '../answer/features.js';
import { coverage } from './coverage.js';
import { bm25Idf } from './idf.js';
import { contentStems, lexicalQuery, stem, tokenize } from './terms.js';
import { questionNames } from './unknown-names.js';

describe('terms', () => {
  it('joins inflections of one word and keeps numbers whole', () => {
    expect(stem('gifts')).toBe(stem('gifted'));
    expect(stem('feeding')).toBe(stem('feed'));
    expect(stem('shared')).toBe(stem('share'));
    expect(stem('countries')).toBe(stem('country'));
    expect(stem('Putin’s'.toLowerCase().replace('’', "'"))).toBe('putin');
    expect(tokenize('793,000 barrels; 77.6%').map((t) => t.stem)).toEqual(['793000', 'barrel', '77.6']);
  });
  it('drops question scaffolding and punctuation', () => {
    expect(contentStems('How many hours did Putin and Kim spend together?')).toEqual([
      'hour',
      'putin',
      'kim',
      'spend',
      'together',
    ]);
    expect(lexicalQuery('What is the population of Vietnam?')).toBe('population Vietnam');
    expect(contentStems('🤔❓!!')).toEqual([]);
  });
  it('keeps offsets into the original text', () => {
    const text = 'Kim’s “fiery friendship”';
    for (const t of tokenize(text)) expect(text.slice(t.start, t.end).toLowerCase().replace('’', "'")).toBe(t.word);
  });
});

describe('coverage', () => {
  const idf = new Map([
    [stem('population'), bm25Idf(0, 30)],
    [stem('vietnam'), bm25Idf(1, 30)],
  ]);
  it('weights rare terms more: a missing unseen term dominates', () => {
    const c = coverage(idf, 'Putin heads to Communist-run Vietnam next.');
    expect(c).toBeGreaterThan(0.3);
    expect(c).toBeLessThan(0.5);
    expect(coverage(idf, 'Vietnam population figures')).toBe(1);
    expect(coverage(new Map(), 'anything')).toBe(0);
  });
});

describe('answer types', () => {
  it('reads what kind of answer is asked for', () => {
    expect(answerType('How many artillery shells has North Korea sent?')).toBe('number');
    expect(answerType('When was Putin’s previous visit?')).toBe('time');
    expect(answerType('Who was the last leader to visit?')).toBe('entity');
    expect(answerType('What gifts did they exchange?')).toBe('other');
  });
  it('needs something new of that type in the sentence', () => {
    const qs = new Set(['putin', 'old']);
    expect(typeMatch('number', 'The 71-year-old looked weary.', qs)).toBe(1);
    expect(typeMatch('number', 'Putin looked weary.', qs)).toBe(0);
    expect(typeMatch('time', 'It was his first visit since 2000.', qs)).toBe(1);
    expect(typeMatch('entity', 'The last leader to visit was Xi Jinping.', qs)).toBe(1);
    expect(typeMatch('entity', 'Putin arrived.', qs)).toBe(0);
  });
});

describe('questionNames', () => {
  it('keeps capitalised content words that do not start the question, with their IDF', () => {
    const idf = new Map([
      [stem('score'), 2],
      [stem('liverpool'), 5],
      [stem('milan'), 6],
      [stem('istanbul'), 7],
    ]);
    const names = questionNames('What was the score when Liverpool met AC Milan in Istanbul?', idf);
    expect([...names.entries()]).toEqual([
      [stem('liverpool'), 5],
      [stem('milan'), 6],
      [stem('istanbul'), 7],
    ]);
    expect(questionNames('Liverpool won. Who scored?', idf).size).toBe(0);
  });
});
