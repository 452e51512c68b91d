import type { ArticleRecord, SearchFilter } from '../types.js';

/**
 * The collection an article belongs to: the first folder of its id, which is its path under the
 * articles root (`bbc/tech/001` → `bbc`); null for an article at the root. A folder rather than
 * a metadata field because every format (plain text, JSONL, HTML) has one, moving a file moves
 * it, and no existing index needs re-reading to know it. Pure.
 */
export function collectionOf(article: { id: string }): string | null {
  const slash = article.id.indexOf('/');
  return slash > 0 ? article.id.slice(0, slash) : null;
}

/**
 * Which articles a filter lets through, as a 0/1 mask over `articles`, or null
 * when the filter restricts nothing. An empty `articleIds`/`sources`/`collections` list lets
 * nothing through (every condition must hold). With a date range, undated articles are excluded.
 */
export function allowedArticles(
  articles: readonly ArticleRecord[],
  filter: SearchFilter | undefined,
): Uint8Array | null {
  if (!filter) return null;
  const ids = filter.articleIds ? new Set(filter.articleIds) : null;
  const sources = filter.sources ? new Set(filter.sources) : null;
  const collections = filter.collections ? new Set(filter.collections) : null;
  const from = filter.dateFrom;
  const to = filter.dateTo;
  if (!ids && !sources && !collections && from === undefined && to === undefined) return null;
  const mask = new Uint8Array(articles.length);
  for (let i = 0; i < articles.length; i++) {
    const a = articles[i] as ArticleRecord;
    if (ids && !ids.has(a.id)) continue;
    if (sources && (a.meta.source === undefined || !sources.has(a.meta.source))) continue;
    if (collections) {
      const c = collectionOf(a);
      if (c === null || !collections.has(c)) continue;
    }
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
