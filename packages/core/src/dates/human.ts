import type { TimeExpression } from './types.js';

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** An ISO value for people: `2024` → 2024, `2024-02` → February 2024, `2024-06-19` → 19 June 2024. */
export function humanDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  const month = m ? MONTH_NAMES[Number(m) - 1] : undefined;
  if (!month) return y ?? iso;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

/**
 * The resolved dates worth showing beside a quote, for people: only those the quote does not
 * already spell out ("in February this year" → February 2024; "since 2000" adds nothing).
 */
export function helpfulDates(dates: readonly TimeExpression[] | undefined): string[] {
  const out: string[] = [];
  for (const d of dates ?? []) {
    if (d.value === null || d.expression.includes(d.value.slice(0, 4))) continue;
    const h = humanDate(d.value);
    if (!out.includes(h)) out.push(h);
  }
  return out;
}
