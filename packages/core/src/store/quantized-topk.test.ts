import { prng, randomUnitVectors } from '@newsrag/test-support';
import { describe, expect, it } from 'vitest';
import { DenseMatrix, QuantizedMatrix } from './dense/index.js';
import { PREFILTER_MIN_ROWS, prefilterDepth, quantizedTopK, rescoreDepth } from './quantized-topk.js';
import { denseTopK } from './topk.js';

const D = 384;

/** The unit vector along `wa · a + wb · b`. */
function blend(a: Float32Array, wa: number, b: Float32Array, wb: number): Float32Array {
  const q = new Float32Array(a.length);
  let n = 0;
  for (let j = 0; j < a.length; j++) {
    q[j] = wa * (a[j] as number) + wb * (b[j] as number);
    n += (q[j] as number) ** 2;
  }
  for (let j = 0; j < a.length; j++) q[j] = (q[j] as number) / Math.sqrt(n);
  return q;
}

function recallAt(k: number, got: { row: number }[], want: { row: number }[]): number {
  const truth = new Set(want.slice(0, k).map((h) => h.row));
  return got.slice(0, k).filter((h) => truth.has(h.row)).length / k;
}

describe('quantizedTopK (int8 scan, exact rescoring)', () => {
  const rng = prng(2024);
  const rows = 20_000;
  const data = randomUnitVectors(rng, rows, D);
  const exact = DenseMatrix.from(data, D);
  const q8 = QuantizedMatrix.quantize(data, D);
  const firstRow = Int32Array.from({ length: rows / 4 }, (_, a) => a * 4);
  const rowCount = new Int32Array(rows / 4).fill(4);
  const exactVector = (row: number) => data.subarray(row * D, (row + 1) * D);
  // Queries of two kinds: random directions, and near a stored vector (as a question near its passage).
  const queries: Float32Array[] = [];
  for (let i = 0; i < 40; i++) {
    if (i % 2 === 0) queries.push(randomUnitVectors(rng, 1, D));
    else queries.push(blend(data.subarray(i * 397 * D, (i * 397 + 1) * D), 0.6, randomUnitVectors(rng, 1, D), 0.8));
  }

  it('has recall@10 ≥ 0.98 against the exact float32 scan on random data (measured: 1.0)', () => {
    let recall = 0;
    let coarseRecall = 0;
    for (const q of queries) {
      const want = denseTopK(exact, q, 10, rows, null, firstRow, rowCount);
      const got = quantizedTopK(q8, q, 10, rows, null, firstRow, rowCount, exactVector);
      recall += recallAt(10, got, want);
      // The int8 scan alone, for comparison: what rescoring adds.
      const coarse = Array.from(q8.scores(q).subarray(0, rows), (score, row) => ({ row, score }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      coarseRecall += recallAt(10, coarse, want);
    }
    recall /= queries.length;
    coarseRecall /= queries.length;
    expect(recall).toBeGreaterThanOrEqual(0.98);
    expect(recall).toBeGreaterThanOrEqual(coarseRecall);
  });

  it('returns exact scores, best first, and respects an article filter', () => {
    const q = queries[1] as Float32Array;
    const allowed = new Uint8Array(rows / 4);
    for (let a = 0; a < allowed.length; a += 3) allowed[a] = 1;
    const want = denseTopK(exact, q, 7, rows, allowed, firstRow, rowCount);
    const got = quantizedTopK(q8, q, 7, rows, allowed, firstRow, rowCount, exactVector);
    expect(got.map((h) => h.row)).toEqual(want.map((h) => h.row));
    for (const [i, h] of got.entries()) {
      expect(allowed[Math.floor(h.row / 4)]).toBe(1);
      expect(h.score).toBe((want[i] as { score: number }).score);
    }
    expect(quantizedTopK(q8, q, 0, rows, null, firstRow, rowCount, exactVector)).toEqual([]);
  });

  it('rescoring depth is 2k and at least k + 50', () => {
    expect(rescoreDepth(10)).toBe(60);
    expect(rescoreDepth(50)).toBe(100);
    expect(rescoreDepth(100)).toBe(200);
  });
});

describe('quantizedTopK with the sign-bit prefilter', () => {
  const rng = prng(77);
  const rows = 20_000;
  // Clustered like real embeddings (100 topics, a passage near its topic), not uniform.
  const topics = randomUnitVectors(rng, 100, D);
  const data = new Float32Array(rows * D);
  for (let r = 0; r < rows; r++) {
    const t = Math.floor(rng() * 100);
    data.set(blend(topics.subarray(t * D, (t + 1) * D), 0.7, randomUnitVectors(rng, 1, D), 0.7), r * D);
  }
  const exact = DenseMatrix.from(data, D);
  const q8 = QuantizedMatrix.quantize(data, D);
  const firstRow = Int32Array.from({ length: rows / 4 }, (_, a) => a * 4);
  const rowCount = new Int32Array(rows / 4).fill(4);
  const exactVector = (row: number) => data.subarray(row * D, (row + 1) * D);
  const queries = Array.from({ length: 30 }, (_, i) =>
    blend(data.subarray(i * 601 * D, (i * 601 + 1) * D), 0.8, randomUnitVectors(rng, 1, D), 0.6),
  );
  // 2% of the rows kept (1M rows keep 0.4% by default; the share that matters is of the
  // rows near the query, which a small index has fewer of).
  const settings = { fromRows: 0, depth: 400 };

  it('has recall@10 ≥ 0.98 against the exact float32 scan, with exact scores (measured: 1.0; keeping 100 rows, 0.89)', () => {
    let recall = 0;
    for (const q of queries) {
      const want = denseTopK(exact, q, 10, rows, null, firstRow, rowCount);
      const got = quantizedTopK(q8, q, 10, rows, null, firstRow, rowCount, exactVector, settings);
      recall += recallAt(10, got, want);
      const scoreOf = new Map(want.map((h) => [h.row, h.score]));
      for (const h of got) if (scoreOf.has(h.row)) expect(h.score).toBe(scoreOf.get(h.row));
    }
    expect(recall / queries.length).toBeGreaterThanOrEqual(0.98);
  });

  it('keeps to the filter, and runs only from its row count on', () => {
    const q = queries[3] as Float32Array;
    const allowed = new Uint8Array(rows / 4);
    for (let a = 0; a < allowed.length; a += 2) allowed[a] = 1;
    const got = quantizedTopK(q8, q, 10, rows, allowed, firstRow, rowCount, exactVector, settings);
    expect(got).toHaveLength(10);
    for (const h of got) expect(allowed[Math.floor(h.row / 4)]).toBe(1);
    // A block of adjacent articles (one range for the kernel): the exact filtered top 10.
    const block = new Uint8Array(rows / 4);
    block.fill(1, 1000, 2000);
    const want = denseTopK(exact, q, 10, rows, block, firstRow, rowCount);
    expect(quantizedTopK(q8, q, 10, rows, block, firstRow, rowCount, exactVector, settings)).toEqual(want);
    // Too few rows to prefilter: the int8 scan of every row, as without it.
    const full = quantizedTopK(q8, q, 10, rows, null, firstRow, rowCount, exactVector, {
      fromRows: rows + 1,
      depth: 1,
    });
    expect(full).toEqual(quantizedTopK(q8, q, 10, rows, null, firstRow, rowCount, exactVector));
    // A depth of 1 keeps one row: the prefilter really cuts.
    expect(
      quantizedTopK(q8, q, 10, rows, null, firstRow, rowCount, exactVector, { fromRows: 0, depth: 1 }),
    ).toHaveLength(1);
  });

  it('runs from 200k candidate rows, keeping 4,000 and at least 80 per result', () => {
    expect(PREFILTER_MIN_ROWS).toBe(200_000);
    expect(prefilterDepth(10)).toBe(4_000);
    expect(prefilterDepth(100)).toBe(8_000);
  });
});
