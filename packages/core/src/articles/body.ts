import type { Article, ArticleMeta } from '../types.js';

/** A `date 2024-06-19` marker at the top of a text (as in some scraped articles). */
export const DATE_MARKER = /^date:?[ \t]+(\d{4}-\d{2}-\d{2})\b/i;

function skipSpace(text: string, pos: number): number {
  let p = pos;
  while (p < text.length && /\s/.test(text[p] ?? '')) p++;
  return p;
}

/** Compares a line with a title, ignoring Markdown heading marks, case and spacing. */
export function sameTitle(line: string, title: string): boolean {
  const norm = (s: string) =>
    s
      .replace(/^#{1,6}\s+/, '')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase();
  const a = norm(line);
  return a !== '' && a === norm(title);
}

/**
 * Offset in `article.text` where the body starts: after leading white space, a
 * `date YYYY-MM-DD` marker and a first line that repeats the title. Those go into
 * the chunk header instead (see `headerText`), but chunk offsets still point into
 * the full `text`.
 */
export function bodyStart(article: Pick<Article, 'text'> & { meta: ArticleMeta }): number {
  const { text, meta } = article;
  let pos = skipSpace(text, 0);
  for (let round = 0; round < 2; round++) {
    const marker = DATE_MARKER.exec(text.slice(pos, pos + 40));
    if (marker !== null) {
      pos = skipSpace(text, pos + marker[0].length);
      continue;
    }
    if (meta.title !== undefined) {
      const lineEnd = text.indexOf('\n', pos);
      const line = text.slice(pos, lineEnd === -1 ? text.length : lineEnd);
      if (lineEnd !== -1 && sameTitle(line, meta.title)) {
        pos = skipSpace(text, lineEnd);
        continue;
      }
    }
    break;
  }
  return pos;
}
