import { describe, expect, it } from 'vitest';
import { answerType, typeMatch } from './features.js';

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
