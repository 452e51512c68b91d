import { describe, expect, it } from 'vitest';
import { poolHiddenState } from './pooling.js';

// Two rows, three tokens, width 2; the second row's last token is padding.
const hidden = Float32Array.from([1, 0, 3, 0, 5, 4, /* row 2 */ 0, 2, 0, 4, 100, 100]);
const mask = BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]);

describe('poolHiddenState', () => {
  it('mean-pools only unmasked tokens', () => {
    const out = poolHiddenState(hidden, mask, [2, 3, 2], 'mean', false);
    expect(Array.from(out)).toEqual(Array.from(Float32Array.from([3, 4 / 3, 0, 3])));
  });

  it('takes token 0 for CLS pooling', () => {
    const out = poolHiddenState(hidden, mask, [2, 3, 2], 'cls', false);
    expect(Array.from(out)).toEqual([1, 0, 0, 2]);
  });

  it('L2-normalises each row when asked, leaving zero vectors at zero', () => {
    const out = poolHiddenState(hidden, mask, [2, 3, 2], 'mean', true);
    expect(Math.hypot(out[0] as number, out[1] as number)).toBeCloseTo(1, 6);
    expect(Array.from(out.subarray(2))).toEqual([0, 1]);
    const zero = poolHiddenState(new Float32Array(4), BigInt64Array.from([1n, 1n]), [1, 2, 2], 'mean', true);
    expect(Array.from(zero)).toEqual([0, 0]);
  });
});
