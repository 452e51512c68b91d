/**
 * Seeded randomness for tests and benchmarks, so a failing case can be replayed from its seed.
 * (The stand-in model's build has its own copy of the same generator in
 * packages/embed/scripts/standin/prng.ts: a shipped package's build must not depend on this
 * test-only workspace, and its output bytes are pinned.)
 */

/** mulberry32: a tiny seeded PRNG, returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random unit vectors (normal components via Box–Muller, then normalised), row-major. */
export function randomUnitVectors(rng: () => number, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      out[r * d + j] = g;
      norm += g * g;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) out[r * d + j] = (out[r * d + j] as number) * inv;
  }
  return out;
}
