/** How precise a resolved date is; the ISO value has as many parts. */
export type DatePrecision = 'year' | 'month' | 'day';

/** A time expression found in a text, resolved against the article's date. */
export interface TimeExpression {
  /** The words as written, e.g. `in February this year`: `text.slice(start, end)`. */
  expression: string;
  start: number;
  end: number;
  /** ISO 8601 `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; null when it needs a date the article does not give. */
  value: string | null;
  precision: DatePrecision;
}

/** A calendar day (UTC, month 1–12), the reference relative expressions are resolved against. */
export interface Day {
  y: number;
  m: number;
  d: number;
}
