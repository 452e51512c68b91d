/**
 * Time expressions chrono-node finds (full dates in any common format, "in March", "yesterday",
 * "next week", …). chrono-node was chosen over sugar-date (parses one whole string, does not find
 * dates inside a text) and compromise-dates (a plugin of a whole NLP library, ~10× less used):
 * it finds every expression in a text with offsets, takes a reference date, says which parts are
 * stated and which implied, ships its own types and is actively maintained.
 */
import * as chrono from 'chrono-node';
import { fromDate, isoAt, toDate } from './calendar.js';
import type { RuleMatch } from './rules.js';
import type { DatePrecision, Day } from './types.js';

/** Two references far apart: an expression whose date changes between them depends on the reference. */
const PROBE_A: Day = { y: 2001, m: 3, d: 14 };
const PROBE_B: Day = { y: 2013, m: 10, d: 2 };
/** Modal "may" ("Kim may visit") is not a month: May needs a preposition or a day or year beside it. */
const MONTH_MAY = /^may$/i;
const BEFORE_MONTH = /\b(?:in|since|by|until|till|of|from|during|early|late|mid-?|last|this|next|before|after)\s*$/i;

/** chrono-node's matches in `text`, resolved against `ref` (null = undated: relative ones get no value). */
export function chronoMatches(text: string, ref: Day | null): RuleMatch[] {
  const parse = (day: Day) => chrono.parse(text, { instant: toDate(day), timezone: 0 });
  const atA = parse(PROBE_A);
  const atB = new Map(parse(PROBE_B).map((r) => [`${r.index}:${r.text}`, r]));
  const atRef = ref ? new Map(parse(ref).map((r) => [`${r.index}:${r.text}`, r])) : null;
  const out: RuleMatch[] = [];
  for (const r of atA) {
    const precision = precisionOfResult(r);
    if (!precision) continue;
    if (MONTH_MAY.test(r.text) && !BEFORE_MONTH.test(text.slice(0, r.index))) continue;
    const key = `${r.index}:${r.text}`;
    const b = atB.get(key);
    const a = isoAt(fromDate(r.start.date()), precision);
    const absolute = b !== undefined && isoAt(fromDate(b.start.date()), precision) === a;
    const resolved = absolute ? r : atRef?.get(key);
    // chrono keeps a trailing comma ("in March, highlighting …"): the expression is the words.
    const words = r.text.replace(/[\s,;:.]+$/, '');
    out.push({
      start: r.index,
      end: r.index + words.length,
      precision,
      value: resolved ? isoAt(fromDate(resolved.start.date()), precision) : null,
    });
  }
  return out;
}

/**
 * The finest part chrono says the text states (or relative words like "yesterday" imply); results
 * with only a time of day ("at 5 pm") or "now" are not dates the reader needs.
 */
function precisionOfResult(r: chrono.ParsedResult): DatePrecision | null {
  if (/^(?:now|today|tonight)$/i.test(r.text.trim())) return null;
  // chrono reads "(earlier) in the day" as "in one day" (tomorrow): it is narrative time, not a date.
  if (/^in the (?:day|week|month|year)\b/i.test(r.text.trim())) return null;
  const c = r.start;
  if (c.isCertain('day') || c.isCertain('weekday')) return 'day';
  if (c.isCertain('month')) return 'month';
  if (c.isCertain('year')) return 'year';
  return null;
}
