import { readFile } from 'node:fs/promises';
import { prng, randomUnitVectors } from '@newsrag/test-support';
import { describe, expect, it } from 'vitest';
import { encodeInt8Module, INT8_WASM_TS, renderInt8WasmModule } from '../../../scripts/build-int8-wasm.js';
import { INT8_MAX, jsInt8Scores, QuantizedMatrix, quantizedBlob, quantizeInto } from './index.js';
import { INT8_WASM_BASE64 } from './int8-wasm.js';

function randomMatrix(rng: () => number, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
}

function dot(a: Float32Array, ai: number, b: Float32Array, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (a[ai * d + j] as number) * (b[j] as number);
  return s;
}

describe('int8 kernel bytes', () => {
  it('the committed int8-wasm.ts is exactly what scripts/build-int8-wasm.ts generates', async () => {
    const bytes = encodeInt8Module();
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(Buffer.from(INT8_WASM_BASE64, 'base64').equals(Buffer.from(bytes))).toBe(true);
    expect(await readFile(INT8_WASM_TS, 'utf8')).toBe(renderInt8WasmModule(bytes));
  });
});

describe('quantisation', () => {
  it('round-trips a vector within half a step of its scale, the largest value exactly', () => {
    const rng = prng(7);
    const v = randomMatrix(rng, 384);
    const codes = new Int8Array(384);
    const scale = quantizeInto(v, codes, 0);
    let max = 0;
    for (let j = 0; j < 384; j++) {
      expect(Math.abs((codes[j] as number) * scale - (v[j] as number))).toBeLessThanOrEqual(scale / 2 + 1e-7);
      max = Math.max(max, Math.abs(codes[j] as number));
    }
    expect(max).toBe(INT8_MAX);
  });

  it('stores a zero vector as zero codes with scale 0', () => {
    const codes = new Int8Array(4).fill(5);
    expect(quantizeInto(new Float32Array(4), codes, 0)).toBe(0);
    expect(Array.from(codes)).toEqual([0, 0, 0, 0]);
  });

  it('a stored blob loads back into the same codes and scales', () => {
    const rng = prng(8);
    const d = 24;
    const vectors = randomUnitVectors(rng, 5, d);
    const m = QuantizedMatrix.quantize(vectors, d);
    const loaded = QuantizedMatrix.allocate(7, d);
    expect(loaded.setRows(2, 5, quantizedBlob(vectors, d))).toBe(true);
    expect(Array.from(loaded.codes.subarray(2 * d, 7 * d))).toEqual(Array.from(m.codes));
    expect(Array.from(loaded.scales.subarray(2, 7))).toEqual(Array.from(m.scales));
    expect(loaded.setRows(0, 4, quantizedBlob(vectors, d))).toBe(false);
  });
});

describe('QuantizedMatrix.scores (WebAssembly SIMD)', () => {
  const rng = prng(42);
  for (const d of [1, 3, 15, 16, 17, 31, 100, 383, 384]) {
    it(`matches the float32 dot product within quantisation error for ${d} dimensions`, () => {
      const rows = 41;
      const data = randomUnitVectors(rng, rows, d);
      const m = QuantizedMatrix.quantize(data, d);
      expect(m.usesSimd).toBe(true);
      const q = randomUnitVectors(rng, 1, d);
      const scores = m.scores(q);
      for (let r = 0; r < rows; r++) expect(Math.abs((scores[r] as number) - dot(data, r, q, d))).toBeLessThan(0.02);
    });
  }

  it('computes exactly what the JS fallback computes', () => {
    const d = 384;
    const rows = 50;
    const data = randomUnitVectors(rng, rows, d);
    const m = QuantizedMatrix.quantize(data, d);
    const q = randomUnitVectors(rng, 1, d);
    const simd = m.scores(q).slice(0, rows);
    const qc = new Int8Array(d);
    const qs = quantizeInto(q, qc, 0);
    const js = new Float32Array(rows);
    jsInt8Scores(m.codes, m.scales, d, qc, 0, rows, js);
    for (let r = 0; r < rows; r++) expect(simd[r]).toBeCloseTo((js[r] as number) * qs, 6);
  });

  it('scores only the asked range and copies rows between matrices', () => {
    const d = 20;
    const data = randomUnitVectors(rng, 12, d);
    const m = QuantizedMatrix.quantize(data, d);
    const q = randomUnitVectors(rng, 1, d);
    const all = m.scores(q).slice(0, 12);
    m.scores(randomUnitVectors(rng, 1, d));
    const part = m.scores(q, 4, 3);
    for (let r = 4; r < 7; r++) expect(part[r]).toBe(all[r]);
    const copy = QuantizedMatrix.allocate(3, d);
    copy.copyRows(m, 4, 3, 0);
    const copied = copy.scores(q);
    for (let r = 0; r < 3; r++) expect(copied[r]).toBe(all[r + 4]);
  });
});

describe('QuantizedMatrix.hamming (sign bits, WebAssembly)', () => {
  const rng = prng(9);
  const rows = 300;
  const data = randomUnitVectors(rng, rows, 384);
  const m = QuantizedMatrix.quantize(data, 384);
  /** The distance by definition: dimensions where exactly one of the two codes is negative. */
  const reference = (codes: Int8Array, row: number, query: Int8Array) => {
    let n = 0;
    for (let j = 0; j < 384; j++) if ((codes[row * 384 + j] as number) < 0 !== (query[j] as number) < 0) n++;
    return n;
  };

  it('counts the dimensions whose signs differ, row by row and for a range', () => {
    expect(m.hasSignBits).toBe(true);
    const q = randomUnitVectors(rng, 1, 384);
    const qc = new Int8Array(384);
    quantizeInto(q, qc, 0);
    const all = Array.from(m.hamming(q).subarray(0, rows));
    expect(all).toEqual(Array.from({ length: rows }, (_, r) => reference(m.codes, r, qc)));
    const parts = m.hamming(q, [
      [100, 50],
      [200, 10],
    ]);
    expect(Array.from(parts.subarray(100, 150))).toEqual(all.slice(100, 150));
    expect(Array.from(parts.subarray(200, 210))).toEqual(all.slice(200, 210));
    expect(() => m.hamming(q, [[rows - 1, 2]])).toThrow(RangeError);
    // A row's own vector is at distance 0, its negation at 384.
    expect(m.hamming(data.subarray(7 * 384, 8 * 384))[7]).toBe(0);
    expect(m.hamming(data.subarray(7 * 384, 8 * 384).map((x) => -x))[7]).toBe(
      384 - Array.from(m.codes.subarray(7 * 384, 8 * 384)).filter((c) => c === 0).length,
    );
  });

  it('follows rows copied or loaded, the sign bits in step with the codes', () => {
    const q = randomUnitVectors(rng, 1, 384);
    const other = QuantizedMatrix.quantize(randomUnitVectors(rng, rows, 384), 384);
    const before = m.hamming(q)[5];
    const copy = QuantizedMatrix.allocate(rows, 384);
    copy.copyRows(m, 0, rows, 0);
    expect(copy.hamming(q)[5]).toBe(before);
    copy.copyRows(other, 5, 1, 5);
    expect(copy.hamming(q)[5]).toBe(other.hamming(q)[5]);
    expect(copy.setRows(9, 1, quantizedBlob(data.subarray(3 * 384, 4 * 384), 384))).toBe(true);
    expect(copy.hamming(q)[9]).toBe(m.hamming(q)[3]);
  });

  it('is not offered where the sign bits are not whole 64-bit words a row', () => {
    expect(QuantizedMatrix.allocate(4, 100).hasSignBits).toBe(false);
    expect(() => QuantizedMatrix.allocate(4, 100).hamming(new Float32Array(100))).toThrow(RangeError);
  });
});
