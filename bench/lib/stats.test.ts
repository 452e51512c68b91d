import { describe, expect, it } from 'vitest';
import { growthExponent, median, percentile, percentiles, scaleSpread, spread } from './stats.js';

describe('stats', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('uses nearest-rank percentiles, so every percentile is an observed value', () => {
    const xs = Array.from({ length: 500 }, (_, i) => i + 1); // 1..500
    expect(percentile(xs, 50)).toBe(250);
    expect(percentile(xs, 95)).toBe(475);
    expect(percentile(xs, 99)).toBe(495);
    expect(percentile(xs, 100)).toBe(500);
    expect(percentile([7], 99)).toBe(7);
    const p = percentiles([10, 20, 30, 40]);
    expect(p).toMatchObject({ p50: 20, p95: 40, p99: 40, mean: 25, max: 40, n: 4 });
  });

  it('refuses empty lists, NaN and out-of-range percentiles', () => {
    expect(() => median([])).toThrow(/empty/);
    expect(() => spread([1, Number.NaN])).toThrow(/NaN/);
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
  });

  it('reports median, min, max and the number of runs, and rescales them', () => {
    const s = spread([3, 9, 1]);
    expect(s).toEqual({ median: 3, min: 1, max: 9, runs: 3 });
    expect(scaleSpread(s, 1000)).toEqual({ median: 3000, min: 1000, max: 9000, runs: 3 });
  });

  it('recovers the exponent of a power law', () => {
    const pts = [1e3, 1e4, 1e5].map((x) => ({ x, y: 2 * x ** 0.5 }));
    expect(growthExponent(pts)).toBeCloseTo(0.5, 6);
    expect(growthExponent([{ x: 1, y: 1 }])).toBeNaN();
  });
});
