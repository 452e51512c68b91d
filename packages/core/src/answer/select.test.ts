import { describe, expect, it } from 'vitest';
import { evidenceAnalyzer } from '../text/analyzers.js';
import type { Passage } from '../types.js';
import { selectSentences } from './select.js';
import type { ScoredSentence } from './sentence-score.js';

const passage = (articleId: string, chunk: number): Passage => ({
  rank: 1,
  chunkId: `${articleId}#${chunk}`,
  articleId,
  text: '',
  start: 0,
  end: 1000,
  score: 1,
  retrievers: {},
});

let offset = 0;
function sentence(
  p: Passage,
  ordinal: number,
  text: string,
  score: number,
  vector = new Float32Array([1, 0]),
): ScoredSentence {
  offset += 100;
  return {
    passageIndex: 0,
    passage: p,
    start: offset,
    end: offset + text.length,
    text,
    ordinal,
    vector,
    cosine: 0.9,
    sentenceCoverage: 0.5,
    passageCoverage: 0.5,
    typeMatch: 0.5,
    score,
  };
}

const idf = new Map([
  [evidenceAnalyzer.stem('gifts'), 2],
  [evidenceAnalyzer.stem('putin'), 1],
  [evidenceAnalyzer.stem('kim'), 1],
  [evidenceAnalyzer.stem('dogs'), 2],
]);
const rule = { minCosine: 0.8, minSharedTerms: 2, minCoverageRatio: 0.7 };
const a = passage('a', 0);
const b = passage('b', 0);

describe('selectSentences', () => {
  it('adds a second sentence from elsewhere only when it covers question terms the first misses', () => {
    const best = sentence(a, 0, 'Putin gifted Kim a car.', 2);
    const neighbour = sentence(a, 1, 'Kim gave Putin dogs.', 1.9);
    const far = sentence(b, 3, 'Kim gave Putin two dogs.', 1.8);
    const same = sentence(b, 4, 'Putin gifted Kim a car again.', 1.85);
    const picks = selectSentences([best, same, neighbour, far], idf, 2, rule);
    // `neighbour` is next to `best`; `same` adds no question term and is not nearly as good; `far` adds "dogs".
    expect(picks).toEqual([best, far]);
  });

  it('quotes a sentence of another article that answers nearly as well, even with no new question term', () => {
    const best = sentence(a, 0, 'Putin gifted Kim a limousine.', 2);
    const otherSameArticle = sentence(a, 5, 'Putin gifted Kim a car before.', 1.98);
    const rival = sentence(b, 2, 'Putin gifted Kim a luxury car.', 1.95);
    expect(selectSentences([best, otherSameArticle, rival], idf, 2, rule)).toEqual([best, rival]);
    // Outside the margin it must add something instead.
    expect(selectSentences([best, { ...rival, score: 1.85 }], idf, 2, rule)).toEqual([best]);
  });

  it('stops at the best sentence when nothing else is close enough or adds anything', () => {
    const best = sentence(a, 0, 'Putin gifted Kim a car.', 2);
    const weak = sentence(b, 0, 'Kim gave Putin dogs.', 1.2);
    expect(selectSentences([best, weak], idf, 2, rule)).toEqual([best]);
    expect(selectSentences([best, weak], idf, 1, rule)).toEqual([best]);
    expect(selectSentences([], idf, 2, rule)).toEqual([]);
  });

  it('prefers a sentence of another article that confirms the first (same year, said differently)', () => {
    const best = {
      ...sentence(a, 0, 'This was his first visit since 2000.', 2),
      passage: { ...a, date: '2024-06-19' },
    };
    const adds = sentence(b, 2, 'Kim gave Putin dogs as gifts.', 1.9, new Float32Array([0, 1]));
    const confirms = {
      ...sentence(b, 5, 'It was his first trip there in 24 years.', 1.5),
      passage: { ...b, date: '2024-06-21' },
    };
    expect(selectSentences([best, adds, confirms], idf, 2, rule)).toEqual([best, confirms]);
  });
});
