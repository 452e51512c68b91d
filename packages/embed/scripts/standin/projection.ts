import { createRng } from './prng.js';

/**
 * The fixed geometry of the stand-in's 384-d space.
 *
 * `basis` holds `inDim` orthonormal rows of length `outDim` (the image of the word
 * vectors); `filler` is a unit vector orthogonal to them and to `ones/sqrt(outDim)`.
 * Because every basis row and the filler are orthogonal to the all-ones direction,
 * every embedding row built from them has zero mean: that is what lets LayerNorm act
 * as a constant scale in the bge-shaped model (see STANDIN.md).
 */
export interface Frame {
  outDim: number;
  inDim: number;
  /** Row-major `inDim × outDim`; row i is the image of word-vector axis i. */
  basis: Float64Array;
  /** Unit vector of length `outDim`, orthogonal to `basis` and to the ones direction. */
  filler: Float64Array;
  /** Unit vector orthogonal to all of the above: the small constant every token carries. */
  background: Float64Array;
}

/**
 * Draws a seeded orthonormal frame by Gram-Schmidt on Gaussian vectors.
 * Vectors are orthogonalised (twice, for numerical safety) against the ones
 * direction, then the filler, then the earlier basis rows.
 */
export function createFrame(seed: number, inDim: number, outDim: number): Frame {
  if (inDim + 3 > outDim) throw new RangeError(`cannot fit ${inDim}+3 orthonormal directions in ${outDim} dims`);
  const rng = createRng(seed);
  const ones = new Float64Array(outDim).fill(1 / Math.sqrt(outDim));
  const accepted: Float64Array[] = [ones];
  const draw = (): Float64Array => {
    for (;;) {
      const v = new Float64Array(outDim);
      for (let i = 0; i < outDim; i++) v[i] = rng.normal();
      for (let pass = 0; pass < 2; pass++) {
        for (const q of accepted) {
          const d = dot(v, q);
          for (let i = 0; i < outDim; i++) v[i] = (v[i] ?? 0) - d * (q[i] ?? 0);
        }
      }
      const n = Math.sqrt(dot(v, v));
      // A near-dependent draw is astronomically unlikely; redraw rather than divide by ~0.
      if (n < 1e-6) continue;
      for (let i = 0; i < outDim; i++) v[i] = (v[i] ?? 0) / n;
      accepted.push(v);
      return v;
    }
  };
  const filler = draw();
  const background = draw();
  const basis = new Float64Array(inDim * outDim);
  for (let r = 0; r < inDim; r++) basis.set(draw(), r * outDim);
  return { outDim, inDim, basis, filler, background };
}

/** Maps an `inDim` vector into the frame's `outDim` space (x · basis). */
export function project(frame: Frame, x: ArrayLike<number>, out: Float64Array): void {
  out.fill(0);
  for (let r = 0; r < frame.inDim; r++) {
    const xr = x[r] ?? 0;
    if (xr === 0) continue;
    const off = r * frame.outDim;
    for (let c = 0; c < frame.outDim; c++) out[c] = (out[c] ?? 0) + xr * (frame.basis[off + c] ?? 0);
  }
}

/** `I − f fᵀ` as a row-major float32 matrix: removes the filler direction. */
export function fillerRemover(frame: Frame): Float32Array {
  const n = frame.outDim;
  const p = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      p[i * n + j] = (i === j ? 1 : 0) - (frame.filler[i] ?? 0) * (frame.filler[j] ?? 0);
    }
  }
  return p;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}
