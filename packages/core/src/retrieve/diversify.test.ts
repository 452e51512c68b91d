import { describe, expect, it } from 'vitest';
import { capPerArticle, dropNearDuplicates, maximalMarginalRelevance } from './diversify.js';

const items = ['a', 'a', 'a', 'b', 'a', 'c', 'b', 'b'].map((articleId, i) => ({ articleId, i }));

describe('capPerArticle', () => {
  it('keeps at most cap per article, in order, up to k', () => {
    expect(capPerArticle(items, 2, 10).map((x) => x.i)).toEqual([0, 1, 3, 5, 6]);
    expect(capPerArticle(items, 2, 3).map((x) => x.i)).toEqual([0, 1, 3]);
    expect(capPerArticle(items, 1, 10).map((x) => x.articleId)).toEqual(['a', 'b', 'c']);
  });
  it('cap 0 means no cap', () => {
    expect(capPerArticle(items, 0, 4).map((x) => x.i)).toEqual([0, 1, 2, 3]);
  });
});

describe('maximalMarginalRelevance', () => {
  const unit = (x: number, y: number) => {
    const n = Math.hypot(x, y);
    return new Float32Array([x / n, y / n]);
  };
  const vecs = [unit(1, 0), unit(1, 0.01), unit(0, 1)];
  it('skips a near-duplicate of what is already picked', () => {
    const picked = maximalMarginalRelevance([0, 1, 2], (i) => vecs[i] as Float32Array, 2, 0.5);
    expect(picked).toEqual([0, 2]);
  });
  it('λ = 1 is plain relevance order', () => {
    expect(maximalMarginalRelevance([0, 1, 2], (i) => vecs[i] as Float32Array, 3, 1)).toEqual([0, 1, 2]);
  });
});

describe('dropNearDuplicates', () => {
  const v = (x: number, y: number) => {
    const n = Math.hypot(x, y);
    return new Float32Array([x / n, y / n]);
  };
  const items = [
    { id: 'a', v: v(1, 0) },
    { id: 'b', v: v(0, 1) },
    { id: 'a-copy', v: v(1, 0) },
    { id: 'a-near', v: v(1, 0.05) },
    { id: 'c', v: v(1, 1) },
  ];
  it('keeps the first of near-identical items and everything else in order', () => {
    expect(dropNearDuplicates(items, (x) => x.v, 0.995).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(dropNearDuplicates(items, (x) => x.v, 0.9999).map((x) => x.id)).toEqual(['a', 'b', 'a-near', 'c']);
  });
});
