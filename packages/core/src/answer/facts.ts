/**
 * The specific facts a sentence states — numbers and years — in a form that lets two
 * articles be compared even when they phrase a date differently. Pure functions.
 */
import { evidenceAnalyzer } from '../text/analyzers.js';

const YEAR = /^(1[89]\d\d|20\d\d)$/;
// "in 24 years", "for 24 years", "24 years ago", "after 24 years": a span of years before the article's date.
const YEARS_BEFORE = /\b(?:in|for|after|than|of)\s+(\d{1,3})\s+years\b|\b(\d{1,3})\s+years\s+ago\b/gi;

/**
 * Keys of the numbers and years a sentence states: `y:2000` for a year, `n:400` for other
 * numbers. A span of years counted back from the article's date ("his first … in 24 years"
 * in an article of 2024-06-21) becomes the year it points at (`y:2000`), so it matches
 * "since 2000" in another article.
 *
 * @param date the article's date (`YYYY-MM-DD`), when known
 */
export function factKeys(text: string, date?: string): Set<string> {
  const keys = new Set<string>();
  for (const t of evidenceAnalyzer.tokenize(text)) {
    if (!t.numeric) continue;
    keys.add(YEAR.test(t.stem) ? `y:${t.stem}` : `n:${t.stem}`);
  }
  const year = date && /^\d{4}-/.test(date) ? Number(date.slice(0, 4)) : null;
  if (year !== null) {
    for (const m of text.matchAll(YEARS_BEFORE)) {
      const n = Number(m[1] ?? m[2]);
      if (n > 0 && n < 200) keys.add(`y:${year - n}`);
    }
  }
  return keys;
}
