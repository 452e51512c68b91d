import { describe, expect, it } from 'vitest';
import { quantizeRows, quantizeTensor } from '../../src/onnx/quantize.js';
import { createRng } from './prng.js';
import { createFrame, fillerRemover, project } from './projection.js';
import type { WordVectorSet } from './vectors.js';
import { buildSemanticTable, isWholeWord, parseVocab, sifWeight, withFiller } from './vocab-table.js';

const dotAt = (a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number => {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[ao + i] ?? 0) * (b[bo + i] ?? 0);
  return s;
};

describe('prng', () => {
  it('repeats for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 5 }, () => r.normal());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('draws standard normals', () => {
    const r = createRng(1);
    const xs = Array.from({ length: 20_000 }, () => r.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
  });
});

describe('projection frame', () => {
  const frame = createFrame(42, 100, 384);
  const n = frame.outDim;

  it('is orthonormal and orthogonal to the ones direction, the filler and the background', () => {
    const extra = [new Float64Array(n).fill(1 / Math.sqrt(n)), frame.filler, frame.background];
    for (let i = 0; i < frame.inDim; i++) {
      expect(dotAt(frame.basis, i * n, frame.basis, i * n, n)).toBeCloseTo(1, 10);
      if (i + 1 < frame.inDim)
        expect(Math.abs(dotAt(frame.basis, i * n, frame.basis, (i + 1) * n, n))).toBeLessThan(1e-10);
      for (const e of extra) expect(Math.abs(dotAt(frame.basis, i * n, e, 0, n))).toBeLessThan(1e-10);
    }
    expect(Math.abs(dotAt(frame.filler, 0, frame.background, 0, n))).toBeLessThan(1e-10);
  });

  it('preserves inner products of projected vectors', () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => Math.sin(i));
    const y = Float64Array.from({ length: 100 }, (_, i) => Math.cos(i * 0.3));
    const px = new Float64Array(n);
    const py = new Float64Array(n);
    project(frame, x, px);
    project(frame, y, py);
    expect(dotAt(px, 0, py, 0, n)).toBeCloseTo(dotAt(x, 0, y, 0, 100), 9);
  });

  it('filler remover zeroes the filler and keeps the basis', () => {
    const p = fillerRemover(frame);
    const apply = (v: ArrayLike<number>, off: number) =>
      Array.from({ length: n }, (_, j) =>
        dotAt(
          v,
          off,
          Array.from({ length: n }, (_, i) => p[i * n + j] ?? 0),
          0,
          n,
        ),
      );
    expect(Math.max(...apply(frame.filler, 0).map(Math.abs))).toBeLessThan(1e-6);
    const kept = apply(frame.basis, 0);
    kept.forEach((v, j) => {
      expect(v).toBeCloseTo(frame.basis[j] ?? 0, 5);
    });
  });
});

describe('SIF weights and the vocabulary table', () => {
  it('counts the most frequent words little and rare ones nearly fully', () => {
    const size = 341_479;
    const a = { a: 3e-4, background: 0.01 };
    expect(sifWeight(0, size, a)).toBeLessThan(0.01);
    expect(sifWeight(37, size, a)).toBeLessThan(0.2);
    expect(sifWeight(5000, size, a)).toBeGreaterThan(0.9);
    expect(sifWeight(100, size, a)).toBeLessThan(sifWeight(1000, size, a));
  });

  it('treats only whole words as words', () => {
    expect(['putin', 'dogs', '2014', 'café'].every(isWholeWord)).toBe(true);
    expect(['##ing', '[CLS]', '[unused12]', '?', ',', ''].some(isWholeWord)).toBe(false);
  });

  it('parses vocab.txt lines as ids', () => {
    expect(parseVocab('[PAD]\n[unused0]\nthe\n')).toEqual(['[PAD]', '[unused0]', 'the']);
  });

  it('gives word rows s·u + ε·b, others ε·b, and bge rows norm R with zero mean', () => {
    const frame = createFrame(3, 4, 12);
    const words: WordVectorSet = {
      dimensions: 4,
      size: 1000,
      vectors: new Map([
        ['the', { vector: Float32Array.of(3, 0, 0, 4), rank: 0 }],
        ['zebra', { vector: Float32Array.of(0, 2, 0, 0), rank: 900 }],
      ]),
    };
    const vocab = ['[CLS]', 'the', '##s', 'zebra', 'unknownword'];
    const sif = { a: 1e-3, background: 0.01 };
    const t = buildSemanticTable(vocab, words, frame, sif);
    const d = frame.outDim;
    expect(t.covered).toBe(2);
    expect(t.weights[0]).toBe(0);
    expect(t.weights[3]).toBeCloseTo(sifWeight(900, 1000, sif), 6);
    for (const id of [0, 2, 4])
      for (let c = 0; c < d; c++) expect(t.rows[id * d + c]).toBeCloseTo(0.01 * (frame.background[c] ?? 0), 7);
    const zebraNorm = Math.sqrt(dotAt(t.rows, 3 * d, t.rows, 3 * d, d));
    expect(zebraNorm).toBeCloseTo(Math.sqrt((t.weights[3] ?? 0) ** 2 + 0.0001), 6);

    const rows = withFiller(t, frame, 1);
    for (let id = 0; id < vocab.length; id++) {
      expect(Math.sqrt(dotAt(rows, id * d, rows, id * d, d))).toBeCloseTo(1, 6);
      expect(Math.abs(rows.slice(id * d, (id + 1) * d).reduce((a, b) => a + b, 0))).toBeLessThan(1e-6);
    }
  });
});

describe('quantize', () => {
  it('per-row int8 round-trips within half a step per row', () => {
    const rows = 3;
    const cols = 50;
    const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * (1 + Math.floor(i / cols)));
    const q = quantizeRows(data, rows, cols);
    for (let r = 0; r < rows; r++) {
      const scale = q.scales[r] ?? 0;
      expect(scale).toBeCloseTo(Math.max(...Array.from(data.slice(r * cols, (r + 1) * cols), Math.abs)) / 127, 6);
      for (let c = 0; c < cols; c++)
        expect(Math.abs((q.values[r * cols + c] ?? 0) * scale - (data[r * cols + c] ?? 0))).toBeLessThanOrEqual(
          scale / 2 + 1e-7,
        );
    }
    expect(Array.from(q.zeroPoints)).toEqual([0, 0, 0]);
  });

  it('maps an all-zero tensor to zeros with a usable scale', () => {
    const q = quantizeTensor(new Float32Array(10));
    expect(q.scale).toBe(1);
    expect(Array.from(q.values).every((v) => v === 0)).toBe(true);
  });
});
