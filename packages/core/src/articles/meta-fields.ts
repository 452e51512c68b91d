import type { ArticleMeta } from '../types.js';

/**
 * The title, date, source and url an article states, without keys for the ones it does
 * not, so JSON output and citations never carry `"title": undefined`.
 */
export function citedMeta(meta: ArticleMeta): Pick<ArticleMeta, 'title' | 'date' | 'source' | 'url'> {
  return {
    ...(meta.title !== undefined ? { title: meta.title } : {}),
    ...(meta.date !== undefined ? { date: meta.date } : {}),
    ...(meta.source !== undefined ? { source: meta.source } : {}),
    ...(meta.url !== undefined ? { url: meta.url } : {}),
  };
}
