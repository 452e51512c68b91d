import { articleRows } from '../retrieve/article-rows.js';
import type { IndexReader } from '../store/contract.js';
import { snapshotOf } from '../store/slice-reader.js';
import { articleReferenceDate } from './article-date.js';

/**
 * Reference dates of indexed articles, per reader generation. The index keeps chunks, not
 * article texts, so a date written in the text is read off the article's chunks (computed at
 * answer time: the index format stays as it is).
 */
const cache = new WeakMap<IndexReader, Map<string, string | null>>();

/** The day `articleId`'s relative expressions resolve against (see {@link articleReferenceDate}), or null. */
export function articleDateOf(reader: IndexReader, articleId: string): string | null {
  // Dates are the snapshot's (a prepared slice's outlive it); rows are the reader's own.
  const owner = snapshotOf(reader);
  let dates = cache.get(owner);
  if (!dates) {
    dates = new Map();
    cache.set(owner, dates);
  }
  const known = dates.get(articleId);
  if (known !== undefined) return known;
  const text = (articleRows(reader).get(articleId) ?? []).map((row) => reader.chunk(row).text).join('\n');
  const date = articleReferenceDate(reader.article(articleId)?.meta.date, text);
  dates.set(articleId, date);
  return date;
}
