import { prng } from '@newsrag/test-support';
import { describe, expect, it } from 'vitest';
import { allowedArticles } from './filter.js';
import { TopK } from './topk.js';

describe('TopK', () => {
  it('keeps the k best of a random stream, best first, like a full sort', () => {
    const rng = prng(3);
    const scores = Array.from({ length: 5000 }, () => Math.round(rng() * 200) / 100);
    const top = new TopK(25);
    scores.forEach((s, row) => {
      top.push(row, s);
    });
    const want = scores
      .map((score, row) => ({ row, score }))
      .sort((a, b) => b.score - a.score || a.row - b.row)
      .slice(0, 25);
    expect(top.result()).toEqual(want);
  });

  it('breaks ties by the lower row and handles k larger than the input or zero', () => {
    const top = new TopK(2);
    for (const row of [5, 1, 3]) top.push(row, 1);
    expect(top.result().map((x) => x.row)).toEqual([1, 3]);
    const big = new TopK(10);
    big.push(0, 0.5);
    expect(big.result()).toEqual([{ row: 0, score: 0.5 }]);
    const none = new TopK(0);
    none.push(0, 1);
    expect(none.result()).toEqual([]);
  });
});

describe('allowedArticles', () => {
  const articles = [
    { id: 'a', path: '', hash: '', length: 1, chunkCount: 1, meta: { source: 'bbc', date: '2024-01-05' } },
    { id: 'b', path: '', hash: '', length: 1, chunkCount: 1, meta: { source: 'ap' } },
  ];

  it('restricts nothing without conditions, and nothing passes an empty list', () => {
    expect(allowedArticles(articles, undefined)).toBeNull();
    expect(allowedArticles(articles, {})).toBeNull();
    expect(Array.from(allowedArticles(articles, { articleIds: [] }) ?? [])).toEqual([0, 0]);
  });

  it('combines conditions and bounds dates inclusively', () => {
    expect(Array.from(allowedArticles(articles, { sources: ['bbc', 'ap'], dateTo: '2024-01-05' }) ?? [])).toEqual([
      1, 0,
    ]);
    expect(Array.from(allowedArticles(articles, { dateFrom: '2024-01-06' }) ?? [])).toEqual([0, 0]);
    expect(Array.from(allowedArticles(articles, { articleIds: ['b'], sources: ['ap'] }) ?? [])).toEqual([0, 1]);
  });
});
