import { describe, expect, it } from 'vitest';
import { evidenceAnalyzer } from '../text/analyzers.js';
import { questionNames } from './unknown-names.js';

describe('questionNames', () => {
  it('keeps capitalised content words that do not start the question, with their IDF', () => {
    const idf = new Map([
      [evidenceAnalyzer.stem('score'), 2],
      [evidenceAnalyzer.stem('liverpool'), 5],
      [evidenceAnalyzer.stem('milan'), 6],
      [evidenceAnalyzer.stem('istanbul'), 7],
    ]);
    const names = questionNames('What was the score when Liverpool met AC Milan in Istanbul?', idf);
    expect([...names.entries()]).toEqual([
      [evidenceAnalyzer.stem('liverpool'), 5],
      [evidenceAnalyzer.stem('milan'), 6],
      [evidenceAnalyzer.stem('istanbul'), 7],
    ]);
    expect(questionNames('Liverpool won. Who scored?', idf).size).toBe(0);
  });
});
