import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import type { ArticleMeta } from '../types.js';

/**
 * An ingested article on disk: the JSON article format the reader already reads (`text`,
 * `title`, `date`, `url`, `source`, `author`, `language` from a fetched page's `<html lang>`),
 * plus provenance the reader ignores and the index does not hash (so a re-fetch that changes
 * nothing re-embeds nothing). No `collection` is written: a feed is configured by its URL
 * alone, so the article's collection is its folder, the `<host>` of {@link articleFilePath}.
 */
export interface ArticleFile extends ArticleMeta {
  text: string;
  /** The URL fetched (before redirects) or the feed item's link. */
  sourceUrl?: string;
  /** The feed the item came from; absent for `--url`. */
  feed?: string;
  guid?: string;
  /** ISO timestamp of the fetch that produced this content. */
  fetchedAt: string;
}

/** Where an item's article goes: `<host>/<16 hex of sha256(key)>.json`, relative to the articles folder. */
export function articleFilePath(key: string, link: string | undefined): string {
  let host = 'items';
  try {
    // Leading dots go: a host of ".." (which URL parsing accepts) must not climb out of the
    // folder, and a hidden folder would be skipped by the reader.
    if (link !== undefined) host = new URL(link).hostname.replace(/[^a-z0-9.-]/gi, '_').replace(/^\.+/, '') || host;
  } catch {
    // keep the generic folder
  }
  return `${host}/${createHash('sha256').update(key).digest('hex').slice(0, 16)}.json`;
}

/** The article id the reader gives a one-object JSON file (`<path without .json>/1`). */
export function articleIdOf(relativePath: string): string {
  return `${relativePath.replace(/\.json$/, '')}/1`;
}

function sameContent(a: ArticleFile, b: ArticleFile): boolean {
  const strip = ({ fetchedAt: _f, ...rest }: ArticleFile) => JSON.stringify(rest, Object.keys(rest).sort());
  return strip(a) === strip(b);
}

/**
 * Writes an article atomically unless the file already holds the same content (provenance
 * timestamps aside). Returns what happened.
 */
export async function writeArticleFile(
  articlesDir: string,
  relativePath: string,
  article: ArticleFile,
): Promise<'new' | 'updated' | 'unchanged'> {
  const file = path.join(articlesDir, relativePath);
  let existing: ArticleFile | undefined;
  try {
    existing = JSON.parse(await readFile(file, 'utf8')) as ArticleFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  if (existing && sameContent(existing, article)) return 'unchanged';
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(article, null, 1)}\n`);
  return existing ? 'updated' : 'new';
}
