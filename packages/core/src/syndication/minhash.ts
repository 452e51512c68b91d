/**
 * MinHash signatures (Broder 1997) of shingle sets, and the Jaccard estimate two of them give.
 * Deterministic: every hash is seeded with fixed constants, so a signature stored in one
 * index generation compares with one computed years later.
 */

import { fmix32, SEED } from './hash.js';

/** Hash functions per signature: the estimate's standard error is √(J(1−J)/128) ≤ 0.044. */
export const MINHASH_PERMUTATIONS = 128;

/** splitmix32: the per-permutation keys, from the fixed seed. */
function permutationKeys(n: number): Uint32Array {
  const keys = new Uint32Array(n);
  let state = SEED >>> 0;
  for (let i = 0; i < n; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    keys[i] = (z ^ (z >>> 16)) >>> 0;
  }
  return keys;
}

const KEYS = permutationKeys(MINHASH_PERMUTATIONS);

/**
 * The MinHash signature of a set of shingles: for each of the {@link MINHASH_PERMUTATIONS}
 * permutations `x ↦ fmix32(hash(x) ⊕ keyᵢ)` (each a bijection of the 32-bit hashes), the least
 * value over the set. An empty set gives all `0xffffffff` (it matches nothing; see
 * {@link estimateJaccard}).
 */
export function minhash(shingleSet: Iterable<number>): Uint32Array {
  const sig = new Uint32Array(MINHASH_PERMUTATIONS).fill(0xffffffff);
  for (const h of shingleSet) {
    for (let i = 0; i < MINHASH_PERMUTATIONS; i++) {
      const v = fmix32(h ^ (KEYS[i] as number));
      if (v < (sig[i] as number)) sig[i] = v;
    }
  }
  return sig;
}

/** Share of positions where the two signatures agree: an unbiased estimate of the sets' Jaccard. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return same / n;
}

/** Exact Jaccard of two sets (for measuring the estimate). */
export function exactJaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}
