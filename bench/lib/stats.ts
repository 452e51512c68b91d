/**
 * Summary statistics of repeated measurements. Pure functions.
 */
import { percentile as nearestRank } from '@newsrag/test-support';

/** Median, min and max of repeated runs of one measurement. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** How many runs. */
  runs: number;
}

/** Latency percentiles (nearest rank) of many timed operations, in ms. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  n: number;
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

function assertNonEmpty(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what} of an empty list of measurements`);
  if (values.some((v) => Number.isNaN(v))) throw new RangeError(`${what}: a measurement is NaN`);
}

/** Median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  assertNonEmpty(values, 'median');
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * The p-th percentile by nearest rank (see `@newsrag/test-support`'s), refusing an empty
 * list or a NaN measurement: a benchmark that timed nothing is broken, not fast.
 */
export function percentile(values: readonly number[], p: number): number {
  assertNonEmpty(values, 'percentile');
  return nearestRank(values, p);
}

/** Median, min and max of repeated runs. */
export function spread(values: readonly number[]): Spread {
  assertNonEmpty(values, 'spread');
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/** A spread in another unit (e.g. ms → s with factor 1/1000). */
export function scaleSpread(s: Spread, factor: number): Spread {
  return { median: s.median * factor, min: s.min * factor, max: s.max * factor, runs: s.runs };
}

/** p50/p95/p99, mean and max of latencies. */
export function percentiles(values: readonly number[]): Percentiles {
  assertNonEmpty(values, 'percentiles');
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    if (v > max) max = v;
  }
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    mean: sum / values.length,
    max,
    n: values.length,
  };
}

/**
 * Least-squares slope of log(y) against log(x): how y grows with x
 * (1 = linear, 0 = constant). Needs two or more distinct positive x.
 */
export function growthExponent(points: ReadonlyArray<{ x: number; y: number }>): number {
  const usable = points.filter((p) => p.x > 0 && p.y > 0);
  if (usable.length < 2) return Number.NaN;
  const xs = usable.map((p) => Math.log(p.x));
  const ys = usable.map((p) => Math.log(p.y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    num += dx * ((ys[i] as number) - my);
    den += dx * dx;
  }
  return den === 0 ? Number.NaN : num / den;
}
