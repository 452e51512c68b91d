import type { SearchFilter } from '../../types.js';

/** A SQL condition over the `articles` table aliased `a`, and its parameters numbered from `firstParam`. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * The SQL form of {@link SearchFilter}, the same rules as `allowedArticles` (store/filter.ts):
 * every given condition must hold; an empty list lets nothing through; an article stating no
 * language passes any language list; with a date range undated articles are excluded (dates are
 * ISO `YYYY-MM-DD` text, which orders like the dates). null when the filter restricts nothing.
 * Pure; tests/store/postgres.pg.test.ts checks it against `allowedArticles` on the seeds.
 */
export function filterCondition(filter: SearchFilter | undefined, firstParam: number): SqlCondition | null {
  if (!filter) return null;
  const parts: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  if (filter.articleIds) parts.push(`a.id = ANY(${param(filter.articleIds)}::text[])`);
  if (filter.sources) parts.push(`a.source = ANY(${param(filter.sources)}::text[])`);
  if (filter.collections) parts.push(`a.collection = ANY(${param(filter.collections)}::text[])`);
  if (filter.languages) {
    const langs = filter.languages.map((l) => l.toLowerCase());
    parts.push(`(a.language IS NULL OR a.language = ANY(${param(langs)}::text[]))`);
  }
  if (filter.dateFrom !== undefined || filter.dateTo !== undefined) {
    parts.push('a.date IS NOT NULL');
    if (filter.dateFrom !== undefined) parts.push(`a.date >= ${param(filter.dateFrom)}`);
    if (filter.dateTo !== undefined) parts.push(`a.date <= ${param(filter.dateTo)}`);
  }
  if (parts.length === 0) return null;
  return { sql: parts.join(' AND '), params };
}
