import { citedMeta } from '../articles/meta-fields.js';
import { articleDateOf } from '../dates/reader-dates.js';
import { resolveTimeExpressions } from '../dates/resolve.js';
import type { Citation, IndexReader } from '../types.js';
import type { ScoredSentence } from './sentence-score.js';

/** Turns the chosen sentences into citations, marker n = position n (1-based). */
export function toCitations(picks: readonly ScoredSentence[]): Citation[] {
  return picks.map((s, i) => {
    const p = s.passage;
    return {
      marker: i + 1,
      articleId: p.articleId,
      ...citedMeta(p),
      quote: s.text,
      start: s.start,
      end: s.end,
      passage: p.text,
      passageStart: p.start,
      passageEnd: p.end,
      score: s.score,
      ...(p.alsoPublishedBy ? { alsoPublishedBy: p.alsoPublishedBy } : {}),
    };
  });
}

/**
 * The answer text: each quote verbatim, followed by its marker, in marker order,
 * e.g. `This was Putin's first visit to North Korea since 2000, … [1] Russian President's visit was … [2]`.
 */
export function answerText(citations: readonly Citation[]): string {
  return citations.map((c) => `${c.quote} [${c.marker}]`).join(' ');
}

/** The citations with the time expressions of their quotes, resolved against each article's date. */
export function withDates(reader: IndexReader, citations: readonly Citation[]): Citation[] {
  return citations.map((c) => ({
    ...c,
    dates: resolveTimeExpressions(c.quote, articleDateOf(reader, c.articleId), c.start),
  }));
}
