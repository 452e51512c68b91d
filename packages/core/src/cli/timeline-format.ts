import { humanDate } from '../dates/human.js';
import type { Timeline } from '../timeline/types.js';

/**
 * `newsrag timeline` for people: one line per event, its date, the quoted sentence and its
 * citations (`article chars start–end`); the undated ones after, apart.
 */
export function formatTimeline(t: Timeline): string {
  const cite = (c: Timeline['events'][number]['citations']) =>
    c.map((x) => `${x.articleId} chars ${x.start}–${x.end}`).join('; ');
  const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
  const lines = [`Timeline: ${t.topic}`, ''];
  if (t.events.length === 0) lines.push('No dated events found.');
  for (const e of t.events) {
    lines.push(`${humanDate(e.date).padEnd(17)} ${flat(e.text)}`, `${' '.repeat(18)}[${cite(e.citations)}]`);
  }
  if (t.undated.length > 0) {
    lines.push('', 'Undated (the article gives no date to resolve them against):');
    for (const u of t.undated) lines.push(`  "${u.expressions.join('", "')}": ${flat(u.text)} [${cite(u.citations)}]`);
  }
  return lines.join('\n');
}
