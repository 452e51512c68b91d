/**
 * newsrag's own rules for the expressions chrono-node gets wrong in news text (see resolve.ts):
 * chrono resolves a bare weekday to the *nearest* one (often a future day), reads "in 24 years"
 * as a date 24 years ahead, ignores years after a preposition ("since 2000") and seasons.
 * News reports the past: a weekday is the one in the week ending on the publication date.
 * Pure functions.
 */
import { addDays, isoAt, weekdayOf } from './calendar.js';
import type { DatePrecision, Day } from './types.js';

/** A match of one rule: where, and its value given the article's day (null when undated). */
export interface RuleMatch {
  start: number;
  end: number;
  precision: DatePrecision;
  /** Null when the expression needs a reference day and `ref` is null. */
  value: string | null;
}

interface Rule {
  pattern: RegExp;
  /** The capture group that is the expression (default the whole match). */
  group?: number;
  resolve(m: RegExpExecArray, ref: Day | null): { precision: DatePrecision; value: string | null } | null;
}

export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTH = `(${MONTHS.join('|')})`;
const SEASONS: Record<string, number> = { spring: 3, summer: 6, autumn: 9, fall: 9, winter: 12 };
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twenty: 20,
  thirty: 30,
  fifty: 50,
};
const COUNT = '(\\d{1,3}|a|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|fifty)';
const count = (s: string | undefined) => (s === undefined ? Number.NaN : (NUMBER_WORDS[s.toLowerCase()] ?? Number(s)));
const relative = (ref: Day | null, precision: DatePrecision, at: (r: Day) => Day) => ({
  precision,
  value: ref ? isoAt(at(ref), precision) : null,
});
/** Years in news text: 1800–2099. */
const YEAR = '((?:1[89]|20)\\d\\d)';

const RULES: Rule[] = [
  // "in February this year", "last March" is left to chrono; "February last year".
  {
    pattern: new RegExp(`\\b${MONTH}\\s+(this|last|next)\\s+year\\b`, 'gi'),
    resolve: (m, ref) =>
      relative(ref, 'month', (r) => ({
        y: r.y + ({ this: 0, last: -1, next: 1 }[(m[2] as string).toLowerCase()] ?? 0),
        m: MONTHS.indexOf((m[1] as string).toLowerCase()) + 1,
        d: 1,
      })),
  },
  // "this year", "last year", "next year" (also inside "earlier this year").
  {
    pattern: /\b(this|last|next)\s+year\b/gi,
    resolve: (m, ref) =>
      relative(ref, 'year', (r) => ({
        y: r.y + ({ this: 0, last: -1, next: 1 }[(m[1] as string).toLowerCase()] ?? 0),
        m: 1,
        d: 1,
      })),
  },
  // "earlier this month", "this month", "last month".
  {
    pattern: /\b(?:(?:earlier|later)\s+)?(this|last|next)\s+month\b/gi,
    resolve: (m, ref) =>
      relative(ref, 'month', (r) => {
        const shift = { this: 0, last: -1, next: 1 }[(m[1] as string).toLowerCase()] ?? 0;
        const months = r.y * 12 + (r.m - 1) + shift;
        return { y: Math.floor(months / 12), m: (months % 12) + 1, d: 1 };
      }),
  },
  // "his first … in 24 years": the year counted back (a future "in 24 years" has no "first").
  {
    pattern: new RegExp(`\\bfirst\\b[^.!?]{0,120}?\\b(in\\s+${COUNT}\\s+years)\\b`, 'gi'),
    group: 1,
    resolve: (m, ref) => {
      const n = count(m[2]);
      return n > 0 ? relative(ref, 'year', (r) => ({ y: r.y - n, m: 1, d: 1 })) : null;
    },
  },
  // "24 years ago", "two years ago".
  {
    pattern: new RegExp(`\\b${COUNT}\\s+years?\\s+ago\\b`, 'gi'),
    resolve: (m, ref) => {
      const n = count(m[1]);
      return n > 0 ? relative(ref, 'year', (r) => ({ y: r.y - n, m: 1, d: 1 })) : null;
    },
  },
  // Seasons: "summer 2023", "summer of 2023" (absolute), "this/last/next summer" (relative).
  {
    pattern: new RegExp(`\\b(spring|summer|autumn|fall|winter)(?:\\s+of)?\\s+${YEAR}\\b`, 'gi'),
    resolve: (m) => ({ precision: 'year', value: m[2] as string }),
  },
  {
    pattern: /\b(this|last|next)\s+(spring|summer|autumn|fall|winter)\b/gi,
    resolve: (m, ref) => {
      const which = (m[1] as string).toLowerCase();
      const begins = SEASONS[(m[2] as string).toLowerCase()] as number;
      return relative(ref, 'year', (r) => {
        // "last summer" in June is the summer of the year before; in October, this year's.
        const y = which === 'this' ? r.y : which === 'last' ? (r.m >= begins + 3 ? r.y : r.y - 1) : r.y + 1;
        return { y, m: 1, d: 1 };
      });
    },
  },
  // A weekday: that day in the week ending on the publication date (news reports the past).
  // "next Friday" is left to chrono.
  {
    pattern: /\b(?<!next\s)(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/gi,
    resolve: (m, ref) =>
      relative(ref, 'day', (r) => {
        const back = (weekdayOf(r) - WEEKDAYS.indexOf((m[1] as string).toLowerCase()) + 7) % 7;
        return addDays(r, -back);
      }),
  },
  // A year after a preposition: "since 2000", "in 2019", "of 2002" (a bare 400 or "2000 troops" is not a year).
  {
    pattern: new RegExp(
      `\\b(?:in|since|of|from|until|till|by|before|after|during|around|early|late|mid-?|summer|spring|autumn|winter)\\s+${YEAR}\\b(?![-\\d])`,
      'gi',
    ),
    resolve: (m) => ({ precision: 'year', value: m[1] as string }),
    group: 1,
  },
];

/** Every match of newsrag's own rules in `text`, in text order; overlaps are resolved by the caller. */
export function ruleMatches(text: string, ref: Day | null): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      const r = rule.resolve(m as RegExpExecArray, ref);
      if (!r) continue;
      const part = rule.group ? (m[rule.group] as string) : m[0];
      const start = (m.index ?? 0) + (rule.group ? m[0].lastIndexOf(part) : 0);
      out.push({ start, end: start + part.length, ...r });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
