/**
 * The date that answers a "when" question, read off the cited quotes' resolved dates. Pure functions.
 */
import { precisionOf } from '../dates/calendar.js';
import type { DatePrecision, TimeExpression } from '../dates/types.js';

const WHEN = /\b(?:when|what\s+(?:date|day|year|month|time)|which\s+(?:date|day|year|month)|how\s+long\s+ago)\b/i;

/** Whether the question asks when, and at which precision when it says ("In what year …" → year). */
export function asksWhen(question: string): { precision: DatePrecision | null } | null {
  const m = WHEN.exec(question);
  if (!m) return null;
  const w = m[0].toLowerCase();
  return { precision: w.includes('year') ? 'year' : w.includes('month') ? 'month' : /date|day/.test(w) ? 'day' : null };
}

const RANK: Record<DatePrecision, number> = { year: 0, month: 1, day: 2 };

/**
 * The resolved value answering `question` from the citations' dates (best citation first), or
 * null when the question does not ask when or no quote has a date.
 *
 * The first quote with an expression at the asked precision answers ("In which year …": a
 * quote saying "last year" before one saying only "on Sunday"); without one, the first quote
 * with any expression. If that expression is unresolved (its article gives no date to resolve
 * "on Wednesday" against) the answer is null — the quote still answers, no date is invented.
 * A finer value than asked is cut ("In what year" + 2024-06-19 → 2024).
 */
export function whenOf(question: string, citations: readonly { dates?: readonly TimeExpression[] }[]): string | null {
  const asked = asksWhen(question);
  if (!asked) return null;
  const want = asked.precision;
  const all = citations.map((c) => c.dates ?? []);
  const exact = want ? all.flat().find((d) => d.precision === want) : undefined;
  const first = all.find((dates) => dates.length > 0);
  const pick = exact ?? first?.find((d) => d.value !== null) ?? first?.[0];
  const value = pick?.value ?? null;
  if (value === null || want === null || RANK[precisionOf(value)] <= RANK[want]) return value;
  return want === 'year' ? value.slice(0, 4) : value.slice(0, 7);
}
