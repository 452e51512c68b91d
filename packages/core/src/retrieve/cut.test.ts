import { describe, expect, it } from 'vitest';
import type { Passage } from '../types.js';
import { cutCandidates } from './search.js';

const passage = (articleId: string, i: number): Passage => ({
  rank: 0,
  chunkId: `${articleId}#${i}`,
  articleId,
  text: `passage ${i}`,
  start: 0,
  end: 9,
  score: 1 / (i + 1),
  retrievers: {},
});

describe('cutCandidates', () => {
  const list = [passage('a', 0), passage('a', 1), passage('a', 2), passage('b', 3), passage('a', 4), passage('b', 5)];

  it('keeps at most cap per article among the leading passages, numbered from 1', () => {
    const cut = cutCandidates(list, 2, 4);
    expect(cut.map((p) => p.chunkId)).toEqual(['a#0', 'a#1', 'b#3', 'b#5']);
    expect(cut.map((p) => p.rank)).toEqual([1, 2, 3, 4]);
  });

  it('fills up to k past the cap, after the capped passages, when there are too few articles', () => {
    const cut = cutCandidates(list, 1, 5);
    expect(cut.map((p) => p.chunkId)).toEqual(['a#0', 'b#3', 'a#1', 'a#2', 'a#4']);
  });

  it('returns everything there is when k exceeds the candidates', () => {
    expect(cutCandidates(list, 2, 50)).toHaveLength(list.length);
  });
});
