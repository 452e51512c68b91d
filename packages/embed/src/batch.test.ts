import { describe, expect, it } from 'vitest';
import { planBatches, toBatchTensors, truncateIds } from './batch.js';

describe('planBatches', () => {
  it('groups by length, longest first, and covers every input exactly once', () => {
    const ids = [[1, 2], [1, 2, 3, 4, 5], [1], [1, 2, 3], [1, 2, 3, 4], [1, 2]];
    const batches = planBatches(ids, 2);
    expect(batches.map((b) => b.indices)).toEqual([
      [1, 4],
      [3, 0],
      [5, 2],
    ]);
    expect(batches.map((b) => b.seqLen)).toEqual([5, 3, 2]);
    expect(batches.flatMap((b) => b.indices).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(batches[1]?.ids).toEqual([
      [1, 2, 3],
      [1, 2],
    ]);
  });

  it('rejects a batch size below 1', () => {
    expect(() => planBatches([[1]], 0)).toThrow(/batchSize/);
  });
});

describe('truncateIds', () => {
  it('keeps the final special token when cutting', () => {
    expect(truncateIds([101, 5, 6, 7, 102], 4, true)).toEqual([101, 5, 6, 102]);
    expect(truncateIds([101, 5, 6, 7, 102], 4, false)).toEqual([101, 5, 6, 7]);
    expect(truncateIds([101, 5, 102], 4, true)).toEqual([101, 5, 102]);
  });
});

describe('toBatchTensors', () => {
  it('right-pads ids with the pad id and masks the padding', () => {
    const t = toBatchTensors(
      {
        indices: [0, 1],
        ids: [
          [101, 7, 102],
          [101, 102],
        ],
        seqLen: 3,
      },
      0,
    );
    expect(t.dims).toEqual([2, 3]);
    expect(Array.from(t.inputIds, Number)).toEqual([101, 7, 102, 101, 102, 0]);
    expect(Array.from(t.attentionMask, Number)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(Array.from(t.tokenTypeIds, Number)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
