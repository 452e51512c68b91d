import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './fuse.js';

describe('reciprocalRankFusion', () => {
  it('sums weight / (k + rank) over the retrievers and keeps each rank and raw score', () => {
    const fused = reciprocalRankFusion(
      [
        {
          retriever: 'dense',
          weight: 1,
          hits: [
            { row: 7, score: 0.9 },
            { row: 3, score: 0.8 },
          ],
        },
        {
          retriever: 'bm25',
          weight: 2,
          hits: [
            { row: 3, score: 12.5 },
            { row: 9, score: 4 },
          ],
        },
      ],
      60,
    );
    expect(fused.map((h) => h.row)).toEqual([3, 9, 7]);
    const three = fused[0];
    expect(three?.score).toBeCloseTo(1 / 62 + 2 / 61, 12);
    expect(three?.retrievers).toEqual({ dense: { rank: 2, score: 0.8 }, bm25: { rank: 1, score: 12.5 } });
    expect(fused[1]?.score).toBeCloseTo(2 / 62, 12);
    expect(fused[2]?.retrievers).toEqual({ dense: { rank: 1, score: 0.9 } });
  });

  it('lets agreement of two retrievers beat a single first place', () => {
    const fused = reciprocalRankFusion([
      {
        retriever: 'dense',
        weight: 1,
        hits: [
          { row: 1, score: 1 },
          { row: 2, score: 0.5 },
        ],
      },
      {
        retriever: 'bm25',
        weight: 1,
        hits: [
          { row: 3, score: 9 },
          { row: 2, score: 8 },
        ],
      },
    ]);
    expect(fused[0]?.row).toBe(2);
  });

  it('breaks ties by best single rank, then by row, and ignores a repeated row', () => {
    const fused = reciprocalRankFusion([
      {
        retriever: 'dense',
        weight: 1,
        hits: [
          { row: 5, score: 1 },
          { row: 5, score: 0.1 },
          { row: 4, score: 0.5 },
        ],
      },
      {
        retriever: 'bm25',
        weight: 1,
        hits: [
          { row: 4, score: 3 },
          { row: 8, score: 1 },
        ],
      },
    ]);
    // row 4: 1/63 + 1/61; row 5: 1/61 only (its second listing is ignored)
    expect(fused.map((h) => h.row)).toEqual([4, 5, 8]);
    expect(fused[1]?.retrievers.dense).toEqual({ rank: 1, score: 1 });
  });

  it('a zero weight keeps a retriever’s ranks visible without letting it vote', () => {
    const fused = reciprocalRankFusion([
      { retriever: 'dense', weight: 0, hits: [{ row: 1, score: 1 }] },
      { retriever: 'bm25', weight: 1, hits: [{ row: 2, score: 1 }] },
    ]);
    expect(fused.map((h) => h.row)).toEqual([2, 1]);
    expect(fused[1]?.score).toBe(0);
    expect(() => reciprocalRankFusion([], -1)).toThrow(RangeError);
  });
});
