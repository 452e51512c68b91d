import { LRUCache } from 'lru-cache';
import type { IndexReader } from '../store/contract.js';
import { snapshotOf } from '../store/slice-reader.js';
import { stemSet } from '../text/coverage.js';
import { articleRows } from './article-rows.js';

/**
 * Article stem sets kept per index reader, at most this many articles (a few hundred stems
 * each). Reranking and the answer's support check read the stems of every candidate's whole
 * article for every question; tokenizing them again was a third of a search's CPU time.
 */
export const ARTICLE_STEMS_CACHE_SIZE = 2048;

// Weak keys: a new index generation is a new reader, so stale stems never outlive it.
const caches = new WeakMap<IndexReader, LRUCache<string, ReadonlySet<string>>>();

/** The stems of an article's title and all its passages (read-only: shared between calls). */
export function articleStems(reader: IndexReader, articleId: string): ReadonlySet<string> {
  // Kept with the snapshot, not a prepared slice of it: stems outlive the question.
  const owner = snapshotOf(reader);
  let cache = caches.get(owner);
  if (!cache) {
    cache = new LRUCache({ max: ARTICLE_STEMS_CACHE_SIZE });
    caches.set(owner, cache);
  }
  let stems = cache.get(articleId);
  if (!stems) {
    const set = stemSet(reader.article(articleId)?.meta.title ?? '');
    for (const row of articleRows(reader).get(articleId) ?? [])
      for (const s of stemSet(reader.chunk(row).text)) set.add(s);
    stems = set;
    cache.set(articleId, stems);
  }
  return stems;
}
