/** Calendar arithmetic on plain days (UTC, no time of day, no time zones). Pure functions. */
import type { DatePrecision, Day } from './types.js';

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` string as a day, or null when it is not a real calendar day. */
export function parseDay(iso: string | undefined | null): Day | null {
  const m = iso ? ISO_DAY.exec(iso) : null;
  if (!m) return null;
  const day = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const back = fromDate(toDate(day));
  return back.y === day.y && back.m === day.m && back.d === day.d ? day : null;
}

export function toDate(day: Day): Date {
  return new Date(Date.UTC(day.y, day.m - 1, day.d, 12));
}

export function fromDate(date: Date): Day {
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

export function addDays(day: Day, n: number): Day {
  const d = toDate(day);
  d.setUTCDate(d.getUTCDate() + n);
  return fromDate(d);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: Day): number {
  return toDate(day).getUTCDay();
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The ISO value of a day at a precision: `2024`, `2024-06` or `2024-06-19`. */
export function isoAt(day: Day, precision: DatePrecision): string {
  if (precision === 'year') return pad(day.y, 4);
  if (precision === 'month') return `${pad(day.y, 4)}-${pad(day.m, 2)}`;
  return `${pad(day.y, 4)}-${pad(day.m, 2)}-${pad(day.d, 2)}`;
}

/** The precision of an ISO value by its shape. */
export function precisionOf(iso: string): DatePrecision {
  return iso.length === 4 ? 'year' : iso.length === 7 ? 'month' : 'day';
}
