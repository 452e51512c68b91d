import type { ArticleRecord, SearchFilter } from '../types.js';

/**
 * Which articles a filter lets through, as a 0/1 mask over `articles`, or null
 * when the filter restricts nothing. An empty `articleIds`/`sources` list lets
 * nothing through (every condition must hold). With a date range, undated articles are excluded.
 */
export function allowedArticles(
  articles: readonly ArticleRecord[],
  filter: SearchFilter | undefined,
): Uint8Array | null {
  if (!filter) return null;
  const ids = filter.articleIds ? new Set(filter.articleIds) : null;
  const sources = filter.sources ? new Set(filter.sources) : null;
  const from = filter.dateFrom;
  const to = filter.dateTo;
  if (!ids && !sources && from === undefined && to === undefined) return null;
  const mask = new Uint8Array(articles.length);
  for (let i = 0; i < articles.length; i++) {
    const a = articles[i] as ArticleRecord;
    if (ids && !ids.has(a.id)) continue;
    if (sources && (a.meta.source === undefined || !sources.has(a.meta.source))) continue;
    if (from !== undefined || to !== undefined) {
      const date = a.meta.date;
      // ISO YYYY-MM-DD strings order like the dates they name.
      if (date === undefined) continue;
      if (from !== undefined && date < from) continue;
      if (to !== undefined && date > to) continue;
    }
    mask[i] = 1;
  }
  return mask;
}
