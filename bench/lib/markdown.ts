/**
 * Markdown rendering of result tables. Pure functions.
 */
import type { Percentiles, Spread } from './stats.js';

/** A markdown table; `align` is per column ('l' or 'r', default 'r' except the first). */
export function table(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align?: readonly ('l' | 'r')[],
): string {
  const a = header.map((_, i) => align?.[i] ?? (i === 0 ? 'l' : 'r'));
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `| ${a.map((x) => (x === 'r' ? '---:' : '---')).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A number with a fixed count of decimals, or `–` for NaN/undefined. */
export function num(x: number | undefined, decimals = 1): string {
  return x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(decimals);
}

/** `median (min–max)`. */
export function spreadCell(s: Spread | undefined, decimals = 1): string {
  if (!s) return '–';
  if (s.runs === 1) return `${num(s.median, decimals)} (1 run)`;
  return `${num(s.median, decimals)} (${num(s.min, decimals)}–${num(s.max, decimals)})`;
}

/** `p50 / p95 / p99`. */
export function pctCell(p: Percentiles | undefined, decimals = 2): string {
  return p ? `${num(p.p50, decimals)} / ${num(p.p95, decimals)} / ${num(p.p99, decimals)}` : '–';
}

/** Bytes as MiB. */
export function mib(bytes: number | undefined): string {
  return bytes === undefined ? '–' : (bytes / 2 ** 20).toFixed(1);
}

/** A ratio a/b as `1.23×`. */
export function ratio(a: number | undefined, b: number | undefined, decimals = 2): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  return `${(a / b).toFixed(decimals)}×`;
}
