import { describe, expect, it } from 'vitest';
import { asksForExchange } from './reciprocal.js';

describe('asksForExchange', () => {
  it('recognises questions about both sides of an exchange', () => {
    for (const q of [
      'What gifts did Putin and Kim exchange?',
      'What did the two leaders swap?',
      'What did Kim give in return?',
      'Which presents did they give each other?',
      'Did the countries exchange prisoners?',
    ])
      expect(asksForExchange(q), q).toBe(true);
  });

  it('leaves one-sided questions alone', () => {
    for (const q of ['What car did Putin give Kim?', 'Where is the trade centre?', 'Who won the match?'])
      expect(asksForExchange(q), q).toBe(false);
  });
});
