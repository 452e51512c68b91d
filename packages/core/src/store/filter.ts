import type { ArticleMeta, ArticleRecord, SearchFilter } from '../types.js';

/**
 * The collection an article belongs to: its `collection` metadata field when it states one,
 * else the first folder of its id, which is its path under the articles root
 * (`bbc/tech/001` → `bbc`); null for an unlabelled article at the root. The folder is the
 * default because every format (plain text, JSONL, HTML) has one and moving a file moves it;
 * the field is for files that cannot be moved (a shared JSONL dump, a feed's host folder). Pure.
 */
export function collectionOf(article: { id: string; meta?: Pick<ArticleMeta, 'collection'> }): string | null {
  const stated = article.meta?.collection;
  if (stated !== undefined && stated !== '') return stated;
  const slash = article.id.indexOf('/');
  return slash > 0 ? article.id.slice(0, slash) : null;
}

/**
 * Which articles a filter lets through, as a 0/1 mask over `articles`, or null
 * when the filter restricts nothing. An empty `articleIds`/`sources`/`collections`/`languages`
 * list lets nothing through (every condition must hold), except that an article stating no
 * language passes any `languages` list. With a date range, undated articles are excluded.
 */
export function allowedArticles(
  articles: readonly ArticleRecord[],
  filter: SearchFilter | undefined,
): Uint8Array | null {
  if (!filter) return null;
  const ids = filter.articleIds ? new Set(filter.articleIds) : null;
  const sources = filter.sources ? new Set(filter.sources) : null;
  const collections = filter.collections ? new Set(filter.collections) : null;
  const languages = filter.languages ? new Set(filter.languages.map((l) => l.toLowerCase())) : null;
  const from = filter.dateFrom;
  const to = filter.dateTo;
  if (!ids && !sources && !collections && !languages && from === undefined && to === undefined) return null;
  const mask = new Uint8Array(articles.length);
  for (let i = 0; i < articles.length; i++) {
    const a = articles[i] as ArticleRecord;
    if (ids && !ids.has(a.id)) continue;
    if (sources && (a.meta.source === undefined || !sources.has(a.meta.source))) continue;
    if (collections) {
      const c = collectionOf(a);
      if (c === null || !collections.has(c)) continue;
    }
    if (languages && a.meta.language !== undefined && !languages.has(a.meta.language)) continue;
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

/** A label (collection or language) and how many indexed articles carry it. */
export interface LabelCount {
  name: string;
  articles: number;
}

function countBy(articles: readonly ArticleRecord[], labelOf: (a: ArticleRecord) => string | null | undefined) {
  const counts = new Map<string, number>();
  for (const a of articles) {
    const label = labelOf(a);
    if (label !== null && label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  // Most articles first, then by name, so a picker shows the big collections before the stray ones.
  return [...counts]
    .map(([name, n]) => ({ name, articles: n }))
    .sort((x, y) => y.articles - x.articles || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** The collections of `articles` (see {@link collectionOf}) with their article counts; unlabelled root articles count in none. Pure. */
export function collectionCounts(articles: readonly ArticleRecord[]): LabelCount[] {
  return countBy(articles, collectionOf);
}

/** The languages `articles` state with their article counts; articles stating none count in none. Pure. */
export function languageCounts(articles: readonly ArticleRecord[]): LabelCount[] {
  return countBy(articles, (a) => a.meta.language);
}
