import type { ArticleMeta, Chunk } from '../types.js';

/** Titles longer than this are cut at a word boundary in the header, to leave room for the text. */
const MAX_HEADER_TITLE_CHARS = 120;

function shortTitle(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  if (clean.length <= MAX_HEADER_TITLE_CHARS) return clean;
  const cut = clean.slice(0, MAX_HEADER_TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_HEADER_TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The header put in front of every chunk of an article before embedding, so a
 * passage carries its article's title and date: `Title (2024-06-19)\n`,
 * `Title\n`, `(2024-06-19)\n`, or `''` when neither is known.
 */
export function headerText(meta: ArticleMeta): string {
  const title = meta.title !== undefined && meta.title.trim() !== '' ? shortTitle(meta.title) : '';
  const date = meta.date !== undefined && meta.date !== '' ? `(${meta.date})` : '';
  const line = [title, date].filter((part) => part !== '').join(' ');
  return line === '' ? '' : `${line}\n`;
}

/**
 * The text that is embedded for a chunk: {@link headerText} followed by the
 * chunk's text. The header is context for the embedder only; quotes and
 * offsets always refer to `chunk.text`.
 */
export function embeddingText(chunk: Pick<Chunk, 'text'>, meta: ArticleMeta): string {
  return headerText(meta) + chunk.text;
}
