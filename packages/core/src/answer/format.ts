import { citedMeta } from '../articles/meta-fields.js';
import { articleDateOf } from '../dates/reader-dates.js';
import { resolveTimeExpressions } from '../dates/resolve.js';
import type { TimeExpression } from '../dates/types.js';
import type { IndexReader } from '../store/contract.js';
import { memoByText } from '../text/memo.js';
import type { Citation } from '../types.js';
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
    dates: quoteDates(c.quote, articleDateOf(reader, c.articleId)).map((e) => ({
      ...e,
      start: e.start + c.start,
      end: e.end + c.start,
    })),
  }));
}

/**
 * The time expressions of a quote (offsets in the quote) against its article's date,
 * remembered: chrono-node's parse was a sixth of an answer's CPU, and the same quotes
 * answer the same questions. Keyed by date and quote, so a changed article date is a new key.
 */
const datesOf = memoByText((key: string): readonly Readonly<TimeExpression>[] => {
  const cut = key.indexOf('\u0000');
  const date = key.slice(0, cut);
  return Object.freeze(
    resolveTimeExpressions(key.slice(cut + 1), date === '' ? null : date, 0).map((e) => Object.freeze(e)),
  );
});

/** Works out (and remembers) the dates of sentences that may be quoted, ahead of questions (see `warmSentenceVectors`). */
export function warmQuoteDates(reader: IndexReader, sentences: readonly { text: string; articleId: string }[]): void {
  for (const s of sentences) quoteDates(s.text, articleDateOf(reader, s.articleId));
}

function quoteDates(quote: string, articleDate: string | null | undefined): readonly Readonly<TimeExpression>[] {
  return datesOf(`${articleDate ?? ''}\u0000${quote}`);
}
