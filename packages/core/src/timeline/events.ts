/** Dated sentences into timeline entries. Pure functions. */
import { precisionOf } from '../dates/calendar.js';
import type { TimeExpression } from '../dates/types.js';
import type { Timeline } from './types.js';

/** A sentence about the topic with its resolved time expressions, best-ranked first. */
export interface DatedSentence {
  articleId: string;
  start: number;
  end: number;
  text: string;
  dates: TimeExpression[];
}

/**
 * One event per resolved date: the sentences of every article that put something on that date
 * are one entry, quoted by the best-ranked one and citing one sentence per article (several
 * articles reporting it are cited together). A sentence naming two dates (2000 and 2024-06-19)
 * belongs to both. Sentences whose expressions are all unresolved go to `undated`.
 */
export function buildTimeline(topic: string, sentences: readonly DatedSentence[]): Timeline {
  const byDate = new Map<string, Timeline['events'][number]>();
  const undated: Timeline['undated'] = [];
  for (const s of sentences) {
    const cite = { articleId: s.articleId, start: s.start, end: s.end };
    const values = [...new Set(s.dates.flatMap((d) => (d.value === null ? [] : [d.value])))];
    if (values.length === 0) {
      if (s.dates.length > 0)
        undated.push({ expressions: s.dates.map((d) => d.expression), text: s.text, citations: [cite] });
      continue;
    }
    for (const date of values) {
      const event = byDate.get(date);
      if (!event) byDate.set(date, { date, precision: precisionOf(date), text: s.text, citations: [cite] });
      else if (!event.citations.some((c) => c.articleId === s.articleId)) event.citations.push(cite);
    }
  }
  // ISO strings of mixed precision sort chronologically as text: "2024" < "2024-02" < "2024-06-19".
  const events = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { topic, events, undated };
}
