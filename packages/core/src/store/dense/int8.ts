import { INT8_WASM_BASE64 } from './int8-wasm.js';
import { align16, instantiateWithMemory, lazyModule } from './wasm.js';

/** Exports of the int8 kernel (see int8.wat). */
interface Int8Exports {
  memory: WebAssembly.Memory;
  /** `out[r] = scale[r] * dot(query, matrix[r])` for `rows` rows; all arguments are byte offsets / counts. */
  scores(query: number, matrix: number, rows: number, dim: number, scale: number, out: number): void;
  /** The sign bits of `bytes` codes (a multiple of 16) at `m` into `out`, bit i set when code i is negative. */
  signs(m: number, bytes: number, out: number): void;
  /** `out[r] = popcount(q xor bits[r])` (int32) over `words` 64-bit words per row, for `rows` rows. */
  hamming(q: number, bits: number, rows: number, words: number, out: number): void;
}

/** The largest int8 code; a vector's scale maps its largest |value| to it. */
export const INT8_MAX = 127;

/** The compiled int8 kernel, or null without WebAssembly SIMD. */
const int8Module = lazyModule(INT8_WASM_BASE64);

/**
 * Scalar quantisation of one vector, symmetric with a scale of its own: `codes[j] =
 * round(v[j] / scale)` with `scale = max|v| / 127`, so `v ≈ scale · codes`. Per-vector
 * scales keep the relative error of every vector alike (a unit vector's components vary a
 * lot between vectors). Writes `codes` at `offset`; returns the scale (0 for a zero vector).
 */
export function quantizeInto(v: Float32Array, codes: Int8Array, offset: number): number {
  let max = 0;
  for (let j = 0; j < v.length; j++) {
    const a = Math.abs(v[j] as number);
    if (a > max) max = a;
  }
  if (max === 0 || !Number.isFinite(max)) {
    codes.fill(0, offset, offset + v.length);
    return 0;
  }
  const inv = INT8_MAX / max;
  for (let j = 0; j < v.length; j++) codes[offset + j] = Math.round((v[j] as number) * inv);
  return max / INT8_MAX;
}

/**
 * The quantised form of `rows` vectors (`rows × dims` row-major float32) as stored: one
 * buffer of `rows` little-endian float32 scales followed by `rows × dims` int8 codes.
 */
export function quantizedBlob(vectors: Float32Array, dims: number): Buffer {
  const rows = vectors.length / dims;
  const out = Buffer.alloc(rows * (4 + dims));
  const codes = new Int8Array(out.buffer, out.byteOffset + rows * 4, rows * dims);
  for (let r = 0; r < rows; r++) {
    const scale = quantizeInto(vectors.subarray(r * dims, (r + 1) * dims), codes, r * dims);
    out.writeFloatLE(scale, r * 4);
  }
  return out;
}

/**
 * Row-major int8 vectors with a float32 scale per row and an exact int8 dot-product scan:
 * `scores(q)[r] ≈ dot(q, v_r)`, within the quantisation error of both (about 1e-3 for unit
 * vectors of 384 dimensions), at a quarter of float32's memory and scan bandwidth. With
 * WebAssembly SIMD the codes, the scales, the quantised query and the output live in the
 * kernel's memory (grown once, at creation: growing would detach the views handed out).
 */
export class QuantizedMatrix {
  /** `rows × dims` codes, row-major. Read only: writes go through {@link setRows} or {@link copyRows}, which keep the sign bits in step. */
  readonly codes: Int8Array;
  /** {@link codes} as bytes, for copies. */
  private readonly bytes: Uint8Array;
  /** One scale per row. */
  readonly scales: Float32Array;
  readonly usesSimd: boolean;
  private readonly kernel: Int8Exports | null;
  private readonly query: Int8Array;
  private readonly out: Float32Array;
  /** {@link out} as int32, for the Hamming distances (they share the scratch buffer). */
  private readonly distances: Int32Array;
  /** The sign bits of every row's codes (`dims / 8` bytes a row), kept in step with the codes. */
  private readonly bits: Uint8Array;
  private readonly queryBits: Uint8Array;
  /**
   * Whether {@link hamming} is available: with the SIMD kernel and a whole number of 64-bit
   * words of sign bits per row (384, 768 and 1,024 dimensions are).
   */
  readonly hasSignBits: boolean;

  private constructor(
    readonly rows: number,
    readonly dims: number,
  ) {
    const mod = int8Module();
    const scalesOffset = align16(rows * dims);
    const queryOffset = align16(scalesOffset + rows * 4);
    const outOffset = align16(queryOffset + dims);
    const signBits = dims % 64 === 0;
    const bitsOffset = align16(outOffset + rows * 4);
    const queryBitsOffset = align16(bitsOffset + (signBits ? (rows * dims) / 8 : 0));
    const total = queryBitsOffset + (signBits ? dims / 8 : 0);
    // Null without SIMD, or past what wasm32 memory holds: the JS scan then.
    const kernel = mod === null ? null : instantiateWithMemory<Int8Exports>(mod, total);
    this.kernel = kernel;
    this.usesSimd = kernel !== null;
    if (kernel) {
      const buffer = kernel.memory.buffer;
      this.bytes = new Uint8Array(buffer, 0, rows * dims);
      this.codes = new Int8Array(buffer, 0, rows * dims);
      this.scales = new Float32Array(buffer, scalesOffset, rows);
      this.query = new Int8Array(buffer, queryOffset, dims);
      this.out = new Float32Array(buffer, outOffset, rows);
      this.bits = new Uint8Array(buffer, bitsOffset, signBits ? (rows * dims) / 8 : 0);
      this.queryBits = new Uint8Array(buffer, queryBitsOffset, signBits ? dims / 8 : 0);
    } else {
      this.codes = new Int8Array(rows * dims);
      this.bytes = new Uint8Array(this.codes.buffer);
      this.scales = new Float32Array(rows);
      this.query = new Int8Array(dims);
      this.out = new Float32Array(rows);
      this.bits = new Uint8Array(0);
      this.queryBits = new Uint8Array(0);
    }
    this.distances = new Int32Array(this.out.buffer, this.out.byteOffset, rows);
    this.hasSignBits = kernel !== null && signBits;
  }

  /** An all-zero matrix to fill in place (codes and scales). */
  static allocate(rows: number, dims: number): QuantizedMatrix {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(dims) || dims < 1) {
      throw new RangeError(`QuantizedMatrix: rows must be a whole number ≥ 0 and dims ≥ 1, got ${rows} × ${dims}`);
    }
    return new QuantizedMatrix(rows, dims);
  }

  /** The quantised form of `vectors` (`rows × dims` float32, row-major). */
  static quantize(vectors: Float32Array, dims: number): QuantizedMatrix {
    if (vectors.length % dims !== 0) {
      throw new RangeError(
        `QuantizedMatrix: ${vectors.length} values are not a whole number of ${dims}-dimension rows`,
      );
    }
    const m = QuantizedMatrix.allocate(vectors.length / dims, dims);
    for (let r = 0; r < m.rows; r++)
      m.scales[r] = quantizeInto(vectors.subarray(r * dims, (r + 1) * dims), m.codes, r * dims);
    m.updateSignBits(0, m.rows);
    return m;
  }

  /**
   * Fills rows `[row, row + count)` from a stored {@link quantizedBlob} of `count` rows.
   * @returns false when the blob is not `count × (4 + dims)` bytes.
   */
  setRows(row: number, count: number, blob: Uint8Array): boolean {
    if (blob.length !== count * (4 + this.dims)) return false;
    // Byte views on both sides: TypedArray.set between different element types converts
    // value by value, between byte arrays it is one memcpy.
    new Uint8Array(this.scales.buffer, this.scales.byteOffset + row * 4, count * 4).set(blob.subarray(0, count * 4));
    this.bytes.set(blob.subarray(count * 4), row * this.dims);
    this.updateSignBits(row, count);
    return true;
  }

  /** Recomputes the sign bits of rows `[row, row + count)` from their codes. */
  private updateSignBits(row: number, count: number): void {
    if (!this.hasSignBits || count === 0) return;
    const d = this.dims;
    (this.kernel as Int8Exports).signs(
      this.codes.byteOffset + row * d,
      count * d,
      this.bits.byteOffset + (row * d) / 8,
    );
  }

  /** Copies rows `[from, from + count)` of `source` (same dims) to rows `[to, to + count)` of this matrix. */
  copyRows(source: QuantizedMatrix, from: number, count: number, to: number): void {
    const d = this.dims;
    this.codes.set(source.codes.subarray(from * d, (from + count) * d), to * d);
    this.scales.set(source.scales.subarray(from, from + count), to);
    if (this.hasSignBits && source.hasSignBits)
      this.bits.set(source.bits.subarray((from * d) / 8, ((from + count) * d) / 8), (to * d) / 8);
    else this.updateSignBits(to, count);
  }

  /**
   * Hamming distances between the sign pattern of `query` and of the rows of each `[first,
   * count]` range (default: every row), written to the same positions of the returned array
   * (the scratch buffer of {@link scores}: read it before the next call; disjoint ranges keep
   * each other's distances). The sign patterns cost one bit a dimension (48 bytes a row at
   * 384), so this scans a 1M-row matrix in milliseconds; the angle between two vectors is
   * about π · distance / dims, which makes it a coarse prefilter for {@link scores} (see
   * quantized-topk.ts). The rows' bits are made from their codes as the codes are set (one
   * SIMD instruction per 16 codes). Only where {@link hasSignBits}.
   */
  hamming(query: Float32Array, ranges: readonly (readonly [number, number])[] = [[0, this.rows]]): Int32Array {
    const kernel = this.kernel;
    if (!kernel || !this.hasSignBits) throw new RangeError('QuantizedMatrix: no sign bits for this matrix');
    if (query.length !== this.dims) {
      throw new RangeError(`QuantizedMatrix: query has ${query.length} dimensions, the matrix ${this.dims}`);
    }
    // The query's bits once, however many ranges (a filter can allow thousands of articles).
    quantizeInto(query, this.query, 0);
    kernel.signs(this.query.byteOffset, this.dims, this.queryBits.byteOffset);
    const rowBytes = this.dims / 8;
    for (const [first, count] of ranges) {
      if (first < 0 || count < 0 || first + count > this.rows) {
        throw new RangeError(`QuantizedMatrix: rows ${first}..${first + count} are outside 0..${this.rows}`);
      }
      if (count > 0)
        kernel.hamming(
          this.queryBits.byteOffset,
          this.bits.byteOffset + first * rowBytes,
          count,
          rowBytes / 8,
          this.distances.byteOffset + first * 4,
        );
    }
    return this.distances;
  }

  /**
   * Approximate dot products of `query` with the given rows (any order), written to
   * `out[i]` for `rows[i]`, `i < n`. The same arithmetic as {@link scores}, row by row.
   */
  scoresOf(query: Float32Array, rows: Int32Array, n: number, out: Float32Array): void {
    if (query.length !== this.dims) {
      throw new RangeError(`QuantizedMatrix: query has ${query.length} dimensions, the matrix ${this.dims}`);
    }
    const queryScale = quantizeInto(query, this.query, 0);
    const d = this.dims;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as number;
      if (row < 0 || row >= this.rows) throw new RangeError(`QuantizedMatrix: row ${row} is outside 0..${this.rows}`);
      if (this.kernel) {
        this.kernel.scores(
          this.query.byteOffset,
          this.codes.byteOffset + row * d,
          1,
          d,
          this.scales.byteOffset + row * 4,
          this.out.byteOffset + row * 4,
        );
      } else {
        jsInt8Scores(this.codes, this.scales, d, this.query, row, 1, this.out);
      }
      out[i] = (this.out[row] as number) * queryScale;
    }
  }

  /**
   * Approximate dot products of `query` with rows `[first, first + count)`, written to
   * `scores[first .. first + count)` of the returned array (this matrix's scratch buffer:
   * read it before the next call).
   */
  scores(query: Float32Array, first = 0, count = this.rows - first): Float32Array {
    if (query.length !== this.dims) {
      throw new RangeError(`QuantizedMatrix: query has ${query.length} dimensions, the matrix ${this.dims}`);
    }
    if (first < 0 || count < 0 || first + count > this.rows) {
      throw new RangeError(`QuantizedMatrix: rows ${first}..${first + count} are outside 0..${this.rows}`);
    }
    if (count === 0) return this.out;
    const queryScale = quantizeInto(query, this.query, 0);
    if (this.kernel) {
      this.kernel.scores(
        this.query.byteOffset,
        this.codes.byteOffset + first * this.dims,
        count,
        this.dims,
        this.scales.byteOffset + first * 4,
        this.out.byteOffset + first * 4,
      );
    } else {
      jsInt8Scores(this.codes, this.scales, this.dims, this.query, first, count, this.out);
    }
    // The query's own scale is the same for every row: applied after the scan, to the range only.
    if (queryScale !== 1)
      for (let r = first; r < first + count; r++) this.out[r] = (this.out[r] as number) * queryScale;
    return this.out;
  }
}

/** The fallback scan, for runtimes without WebAssembly SIMD (same integer arithmetic as the kernel). */
export function jsInt8Scores(
  codes: Int8Array,
  scales: Float32Array,
  d: number,
  query: Int8Array,
  first: number,
  count: number,
  out: Float32Array,
): void {
  for (let r = first, base = first * d; r < first + count; r++, base += d) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (query[j] as number) * (codes[base + j] as number);
    out[r] = Math.fround(s * (scales[r] as number));
  }
}
