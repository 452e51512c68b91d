import { parseDay } from './calendar.js';
import { chronoMatches } from './chrono.js';

/**
 * The day relative expressions of an article are resolved against: its stated date (metadata),
 * else the latest full calendar date the article itself writes out ("— @handsofdoomtoy June 21,
 * 2024" under an embedded post). An article is published no earlier than what it quotes, and a
 * dated embed is news of the day; this reads the date off the article, it does not invent one.
 * Null when the article states neither: its relative expressions then stay unresolved.
 */
export function articleReferenceDate(metaDate: string | undefined, text: string): string | null {
  if (parseDay(metaDate)) return metaDate as string;
  let latest: string | null = null;
  for (const m of chronoMatches(text, null)) {
    if (m.precision === 'day' && m.value !== null && (latest === null || m.value > latest)) latest = m.value;
  }
  return latest;
}
