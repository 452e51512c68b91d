import { describe, expect, it } from 'vitest';
import { comparePeer, peerFloors, speedRatio } from './embed-peer.js';

const ours = [
  { dtype: 'fp32' as const, batchSize: 1, textsPerSecond: 40 },
  { dtype: 'fp32' as const, batchSize: 32, textsPerSecond: 120 },
  { dtype: 'q8' as const, batchSize: 32, textsPerSecond: 150 },
];

describe('speedRatio', () => {
  it('divides, and gives nothing for a missing or non-positive peer figure', () => {
    expect(speedRatio(150, 100)).toBe(1.5);
    expect(speedRatio(undefined, 100)).toBeUndefined();
    expect(speedRatio(100, 0)).toBeUndefined();
    expect(speedRatio(100, Number.NaN)).toBeUndefined();
  });
});

describe('comparePeer', () => {
  it('joins both sides per batch size, in ascending order, with ratios where both exist', () => {
    const rows = comparePeer(ours, [
      { batchSize: 32, textsPerSecond: 100 },
      { batchSize: 8, textsPerSecond: 90 },
    ]);
    expect(rows.map((r) => r.batchSize)).toEqual([1, 8, 32]);
    expect(rows[0]).toEqual({ batchSize: 1, fp32: 40 });
    expect(rows[1]).toEqual({ batchSize: 8, peer: 90 });
    expect(rows[2]).toEqual({ batchSize: 32, fp32: 120, q8: 150, peer: 100, fp32Ratio: 1.2, q8Ratio: 1.5 });
  });
});

describe('peerFloors', () => {
  it('checks fp32 ≥ 1.0× and q8 ≥ 1.5× at batch 32, passing at the limit', () => {
    const floors = peerFloors('all-MiniLM-L6-v2', comparePeer(ours, [{ batchSize: 32, textsPerSecond: 100 }]));
    expect(floors.map((f) => [f.name.includes('fp32') ? 'fp32' : 'q8', f.status])).toEqual([
      ['fp32', 'PASS'],
      ['q8', 'PASS'],
    ]);
    const slow = peerFloors('all-MiniLM-L6-v2', comparePeer(ours, [{ batchSize: 32, textsPerSecond: 121 }]));
    expect(slow.map((f) => f.status)).toEqual(['FAIL', 'FAIL']);
  });

  it('is NOT RUN, with the reason, when there is no comparison at batch 32', () => {
    const none = peerFloors('all-MiniLM-L6-v2', undefined, 'not in the model cache');
    expect(none.map((f) => f.status)).toEqual(['NOT RUN', 'NOT RUN']);
    expect(none[0]?.note).toBe('not in the model cache');
    const noBatch32 = peerFloors('all-MiniLM-L6-v2', comparePeer(ours, [{ batchSize: 8, textsPerSecond: 1 }]));
    expect(noBatch32.map((f) => f.status)).toEqual(['NOT RUN', 'NOT RUN']);
  });
});
