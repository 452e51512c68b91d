import type { Pooling } from './types.js';

/**
 * Pools a `[batch, seqLen, hidden]` `last_hidden_state` into one vector per row and
 * optionally L2-normalises it. Mean pooling averages only the tokens whose attention
 * mask is 1 (padding must not dilute short texts); CLS pooling takes token 0.
 *
 * Returns one buffer of `batch * hidden` floats so callers can hand out views.
 */
export function poolHiddenState(
  hidden: Float32Array,
  mask: BigInt64Array,
  dims: readonly [number, number, number],
  pooling: Pooling,
  normalize: boolean,
): Float32Array {
  const [batch, seqLen, width] = dims;
  const out = new Float32Array(batch * width);
  for (let b = 0; b < batch; b++) {
    const o = b * width;
    if (pooling === 'cls') {
      const src = b * seqLen * width;
      for (let h = 0; h < width; h++) out[o + h] = hidden[src + h] as number;
    } else {
      let count = 0;
      for (let t = 0; t < seqLen; t++) {
        if (mask[b * seqLen + t] === 0n) continue;
        count++;
        const src = (b * seqLen + t) * width;
        for (let h = 0; h < width; h++) out[o + h] = (out[o + h] as number) + (hidden[src + h] as number);
      }
      const inv = 1 / Math.max(count, 1);
      for (let h = 0; h < width; h++) out[o + h] = (out[o + h] as number) * inv;
    }
    if (normalize) {
      let sum = 0;
      for (let h = 0; h < width; h++) sum += (out[o + h] as number) ** 2;
      // Same epsilon as torch.nn.functional.normalize: an all-zero vector stays zero.
      const inv = 1 / Math.max(Math.sqrt(sum), 1e-12);
      for (let h = 0; h < width; h++) out[o + h] = (out[o + h] as number) * inv;
    }
  }
  return out;
}
