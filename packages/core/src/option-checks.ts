import { type NewsragError, newsragError } from './errors.js';

/**
 * The field checks of the search and answer options: each returns the value (or the
 * default when absent) or throws `BAD_OPTIONS` naming the field and what it accepts.
 *
 * Hand-written rather than zod: these run on every search and answer, where a schema
 * parse would allocate and copy the whole options object (filter lists included) on the
 * hot path; the checks are a handful of comparisons each, and the messages stay exact.
 */
export interface OptionChecks {
  bad(field: string, problem: string): NewsragError;
  /** A whole number in `[min, max]`. */
  int(field: string, value: number | undefined, fallback: number, min: number, max: number): number;
  /** A finite number ≥ 0. */
  num(field: string, value: number | undefined, fallback: number): number;
  /** A number in `[0, 1]`. */
  fraction(field: string, value: number | undefined, fallback: number): number;
}

/** The checks for one kind of options; `kind` starts the message ("Search option `k` …"). */
export function optionChecks(kind: 'Search' | 'Answer'): OptionChecks {
  const bad = (field: string, problem: string): NewsragError =>
    newsragError('BAD_OPTIONS', { subject: `${kind} option \`${field}\``, problem });
  return {
    bad,
    int(field, value, fallback, min, max) {
      if (value === undefined) return fallback;
      if (!Number.isInteger(value) || value < min || value > max) {
        throw bad(field, `must be a whole number from ${min} to ${max}, got ${String(value)}.`);
      }
      return value;
    },
    num(field, value, fallback) {
      if (value === undefined) return fallback;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw bad(field, `must be a number ≥ 0, got ${String(value)}.`);
      }
      return value;
    },
    fraction(field, value, fallback) {
      const v = value ?? fallback;
      if (typeof v !== 'number' || !(v >= 0 && v <= 1))
        throw bad(field, `must be a number from 0 to 1, got ${String(v)}.`);
      return v;
    },
  };
}
