/**
 * Vector maths over embeddings (Float32Array), in one place. The stored and query vectors
 * are unit length, so a dot product is their cosine. The bulk dense-search kernels (WASM SIMD,
 * int8) live with the store in `store/dense/`; these are the per-pair helpers. Pure functions.
 */

/** Dot product; the stored vectors are unit length, so this is the cosine. */
export function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** `v` scaled to unit length (a new array); a zero vector stays zero. */
export function normalized(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const norm = Math.sqrt(n) || 1;
  return v.map((x) => x / norm);
}

/** Cosine of a unit vector with any vector (e.g. a centroid's sum: its direction is the mean's); 0 for a zero `v`. */
export function cosineOfUnit(unit: Float32Array, v: Float32Array): number {
  let dot = 0;
  let n = 0;
  for (let i = 0; i < unit.length; i++) {
    const s = v[i] as number;
    dot += (unit[i] as number) * s;
    n += s * s;
  }
  return n === 0 ? 0 : dot / Math.sqrt(n);
}
