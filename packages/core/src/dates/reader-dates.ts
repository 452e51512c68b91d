import type { IndexReader } from '../types.js';
import { articleReferenceDate } from './article-date.js';

/**
 * Reference dates of indexed articles, per reader generation. The index keeps chunks, not
 * article texts, so a date written in the text is read off the article's chunks (computed at
 * answer time: the index format stays as it is).
 */
const cache = new WeakMap<IndexReader, { rows: Map<string, number[]>; dates: Map<string, string | null> }>();

/** The day `articleId`'s relative expressions resolve against (see {@link articleReferenceDate}), or null. */
export function articleDateOf(reader: IndexReader, articleId: string): string | null {
  let entry = cache.get(reader);
  if (!entry) {
    const rows = new Map<string, number[]>();
    for (let row = 0; row < reader.chunkCount; row++) {
      const id = reader.chunk(row).articleId;
      rows.set(id, [...(rows.get(id) ?? []), row]);
    }
    entry = { rows, dates: new Map() };
    cache.set(reader, entry);
  }
  const known = entry.dates.get(articleId);
  if (known !== undefined) return known;
  const text = (entry.rows.get(articleId) ?? []).map((row) => reader.chunk(row).text).join('\n');
  const date = articleReferenceDate(reader.article(articleId)?.meta.date, text);
  entry.dates.set(articleId, date);
  return date;
}
