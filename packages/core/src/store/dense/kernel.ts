import { DOT_WASM_BASE64 } from './dot-wasm.js';
import { align16, instantiateWithMemory, lazyModule } from './wasm.js';

/** Exports of the dense kernel (see dot.wat). */
interface DotExports {
  memory: WebAssembly.Memory;
  /** `out[r] = dot(query, matrix[r])` for `rows` rows; all arguments are byte offsets / counts. */
  scores(query: number, matrix: number, rows: number, dim: number, out: number): void;
}

/** The compiled kernel, or null when this runtime has no WebAssembly SIMD. */
const kernelModule = lazyModule(DOT_WASM_BASE64);

/** True when the WebAssembly SIMD kernel runs here (Node 20 and later). */
export function simdAvailable(): boolean {
  return kernelModule() !== null;
}

/**
 * A row-major Float32 matrix with an exact dot-product scan. With WebAssembly SIMD the
 * matrix lives in the kernel's own linear memory (query and score buffers right after
 * it), and {@link DenseMatrix.vectors} is a view over that memory, so the vectors are
 * held once. Without SIMD it is an ordinary Float32Array scanned in JS.
 *
 * The memory is grown once, at creation, and never again: growing would detach every
 * view handed out.
 */
export class DenseMatrix {
  /** `rows × dims`, row-major; a view into the kernel's memory when {@link usesSimd}. */
  readonly vectors: Float32Array;
  readonly usesSimd: boolean;
  private readonly kernel: DotExports | null;
  private readonly query: Float32Array;
  private readonly out: Float32Array;

  private constructor(
    readonly rows: number,
    readonly dims: number,
  ) {
    const mod = kernelModule();
    const matrixBytes = rows * dims * 4;
    const queryOffset = align16(matrixBytes);
    const outOffset = align16(queryOffset + dims * 4);
    const total = outOffset + rows * 4;
    // Null without SIMD, or past what wasm32 memory holds: the JS scan then.
    const kernel = mod === null ? null : instantiateWithMemory<DotExports>(mod, total);
    this.kernel = kernel;
    this.usesSimd = kernel !== null;
    if (kernel) {
      const buffer = kernel.memory.buffer;
      this.vectors = new Float32Array(buffer, 0, rows * dims);
      this.query = new Float32Array(buffer, queryOffset, dims);
      this.out = new Float32Array(buffer, outOffset, rows);
    } else {
      this.vectors = new Float32Array(rows * dims);
      this.query = new Float32Array(dims);
      this.out = new Float32Array(rows);
    }
  }

  /** An all-zero matrix to fill in place (e.g. read `vectors.f32` straight into {@link vectors}). */
  static allocate(rows: number, dims: number): DenseMatrix {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(dims) || dims < 1) {
      throw new RangeError(`DenseMatrix: rows must be a whole number ≥ 0 and dims ≥ 1, got ${rows} × ${dims}`);
    }
    return new DenseMatrix(rows, dims);
  }

  /** A matrix holding a copy of `vectors` (`rows × dims`, row-major). */
  static from(vectors: Float32Array, dims: number): DenseMatrix {
    if (vectors.length % dims !== 0) {
      throw new RangeError(`DenseMatrix: ${vectors.length} values are not a whole number of ${dims}-dimension rows`);
    }
    const m = DenseMatrix.allocate(vectors.length / dims, dims);
    m.vectors.set(vectors);
    return m;
  }

  /**
   * Dot products of `query` with rows `[first, first + count)`, written to
   * `scores[first .. first + count)` of the returned array. The array is this matrix's
   * scratch buffer: read it before the next call (readers are single-threaded, and a
   * search reads it right away).
   */
  scores(query: Float32Array, first = 0, count = this.rows - first): Float32Array {
    if (query.length !== this.dims) {
      throw new RangeError(`DenseMatrix: query has ${query.length} dimensions, the matrix ${this.dims}`);
    }
    if (first < 0 || count < 0 || first + count > this.rows) {
      throw new RangeError(`DenseMatrix: rows ${first}..${first + count} are outside 0..${this.rows}`);
    }
    if (count === 0) return this.out;
    if (this.kernel) {
      this.query.set(query);
      this.kernel.scores(
        this.query.byteOffset,
        this.vectors.byteOffset + first * this.dims * 4,
        count,
        this.dims,
        this.out.byteOffset + first * 4,
      );
    } else {
      jsScores(this.vectors, this.dims, query, first, count, this.out);
    }
    return this.out;
  }
}

/** The fallback scan, for runtimes without WebAssembly SIMD. */
export function jsScores(
  m: Float32Array,
  d: number,
  query: Float32Array,
  first: number,
  count: number,
  out: Float32Array,
): void {
  const q = Float64Array.from(query);
  const d4 = d - (d % 4);
  for (let r = first, base = first * d; r < first + count; r++, base += d) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < d4; j += 4) {
      s0 += (q[j] as number) * (m[base + j] as number);
      s1 += (q[j + 1] as number) * (m[base + j + 1] as number);
      s2 += (q[j + 2] as number) * (m[base + j + 2] as number);
      s3 += (q[j + 3] as number) * (m[base + j + 3] as number);
    }
    for (; j < d; j++) s0 += (q[j] as number) * (m[base + j] as number);
    out[r] = s0 + s1 + s2 + s3;
  }
}
