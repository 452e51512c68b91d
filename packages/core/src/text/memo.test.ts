import { describe, expect, it } from 'vitest';
import { splitSentences } from '../chunk/sentences.js';
import { evidenceAnalyzer } from './analyzers.js';
import { coverage, stemSet } from './coverage.js';
import { memoByText, sentenceSpansOf, sentenceStemsOf, stemsOf, tokensOf } from './memo.js';

const PASSAGE =
  'Kim Jong Un gave Putin two Pungsan dogs. The leaders spent more than 10 hours together.\n\nPutin fed carrots to a horse.';

describe('memoByText', () => {
  it('computes a text once while it is held, and again after it was pushed out', () => {
    let calls = 0;
    const memo = memoByText((t) => {
      calls += 1;
      return { length: t.length };
    }, 10);
    expect(memo('abcd')).toBe(memo('abcd'));
    expect(calls).toBe(1);
    memo('efgh');
    memo('ijkl'); // 3 × 5 > 10 characters: 'abcd' goes
    expect(memo.size).toBe(2);
    memo('abcd');
    expect(calls).toBe(4);
  });

  it('holds no more characters than its budget and never a text longer than it', () => {
    let calls = 0;
    const memo = memoByText(() => ({ n: ++calls }), 100);
    for (let i = 0; i < 50; i++) memo(`text number ${i}`);
    expect(memo.size).toBeLessThanOrEqual(100 / 'text number 0'.length + 1);
    const long = 'x'.repeat(200);
    memo(long);
    memo(long);
    expect(calls).toBe(52);
  });
});

describe('the shared text facts', () => {
  it('equal what the functions they remember return', () => {
    expect(sentenceSpansOf(PASSAGE)).toEqual(splitSentences(PASSAGE));
    expect(tokensOf(PASSAGE)).toEqual(evidenceAnalyzer.tokenize(PASSAGE));
    expect([...stemsOf(PASSAGE)]).toEqual([...new Set(evidenceAnalyzer.tokenize(PASSAGE).map((t) => t.stem))]);
    expect(sentenceStemsOf(PASSAGE).map((s) => [...s])).toEqual(
      splitSentences(PASSAGE).map((s) => [
        ...new Set(evidenceAnalyzer.tokenize(PASSAGE.slice(s.start, s.end)).map((t) => t.stem)),
      ]),
    );
  });

  it('cannot be changed through what callers are given', () => {
    expect(Object.isFrozen(tokensOf(PASSAGE))).toBe(true);
    expect(Object.isFrozen(tokensOf(PASSAGE)[0])).toBe(true);
    expect(Object.isFrozen(sentenceSpansOf(PASSAGE)[0])).toBe(true);
    const own = stemSet(PASSAGE);
    own.add('zzz');
    expect(stemsOf(PASSAGE).has('zzz')).toBe(false);
  });
});

describe('coverage over a text and a second set', () => {
  it('counts a term found in either, like the coverage of the two texts joined', () => {
    // IDF weights of a question's stems (an IdfTable is a stem → weight map).
    const idf = new Map(
      ['pungsan', 'dog', 'kim', 'putin', 'pyongyang'].map((w, i) => [evidenceAnalyzer.stem(w), 1 + i] as const),
    );
    const title = 'Putin in Pyongyang';
    const joined = coverage(idf, `${title}\n${PASSAGE}`);
    expect(coverage(idf, stemsOf(PASSAGE), stemsOf(title))).toBeCloseTo(joined, 12);
    expect(joined).toBeGreaterThan(coverage(idf, PASSAGE));
  });
});
