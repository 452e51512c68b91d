import { parseDay } from './calendar.js';
import { chronoMatches } from './chrono.js';
import { type RuleMatch, ruleMatches } from './rules.js';
import type { TimeExpression } from './types.js';

/**
 * The time expressions of `text`, resolved against the article's publication date
 * (`YYYY-MM-DD`): newsrag's own rules first (see rules.ts), then chrono-node's matches that do
 * not overlap them. Where two own matches overlap the longer wins ("in February this year" over
 * "this year"). Without a (valid) article date, relative expressions keep `value: null`: a
 * date is never invented; absolute ones ("21 June 2024", "since 2000") still resolve.
 *
 * @param offset added to every `start`/`end` (the text's position in its article)
 */
export function resolveTimeExpressions(text: string, articleDate?: string | null, offset = 0): TimeExpression[] {
  const ref = parseDay(articleDate);
  const own = ruleMatches(text, ref);
  const theirs = chronoMatches(text, ref);
  const chosen: RuleMatch[] = [];
  // Own rules outrank chrono-node whatever the length: they encode what chrono gets wrong
  // (its "on Thursday" is the next Thursday; ours the one before the article).
  const all = [...own.map((m) => ({ m, own: 1 })), ...theirs.map((m) => ({ m, own: 0 }))].sort(
    (a, b) => b.own - a.own || b.m.end - b.m.start - (a.m.end - a.m.start),
  );
  for (const { m } of all) {
    if (chosen.some((c) => m.start < c.end && c.start < m.end)) continue;
    chosen.push(m);
  }
  return chosen
    .sort((a, b) => a.start - b.start)
    .map((m) => ({
      expression: text.slice(m.start, m.end),
      start: m.start + offset,
      end: m.end + offset,
      value: m.value,
      precision: m.precision,
    }));
}
