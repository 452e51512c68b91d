/**
 * The p-th percentile by nearest rank: the smallest value with at least p% of the values
 * at or below it, so p99 of 500 samples is a real observed sample. `NaN` for no values
 * (a soak or load run that timed nothing reports that rather than failing).
 *
 * @throws RangeError when `p` is not within 0..100
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
}
