import { escapeMarkdown } from 'discord.js';
import { truncate } from './limits.js';

/**
 * Article text shown as plain text: Markdown characters escaped (so `*` or `_` in an
 * article cannot restyle the message) and whitespace collapsed. Cut to `max` before
 * escaping, so the cut never splits an escape. Pure.
 */
export function plain(text: string, max: number): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  // Escapes add at most one character per character; cut so the escaped text still fits.
  let cut = truncate(collapsed, max);
  let escaped = escapeMarkdown(cut);
  while (escaped.length > max && cut.length > 0) {
    cut = truncate(cut, Math.max(0, cut.length - (escaped.length - max) - 1));
    escaped = escapeMarkdown(cut);
  }
  return escaped;
}

/** `Title (2024-06-19)` or the article id when there is no title. Pure. */
export function articleLabel(a: { title?: string; date?: string; articleId?: string; id?: string }): string {
  const title = a.title?.trim() || a.articleId || a.id || 'Untitled article';
  return a.date ? `${title} (${a.date})` : title;
}

/** A link when the article has a URL, else the file it came from. Pure. */
export function articleLocation(a: { url?: string; articleId?: string; id?: string }): string {
  if (a.url && /^https?:\/\//.test(a.url)) return `<${a.url}>`;
  return `File: \`${(a.articleId ?? a.id ?? '').replace(/`/g, "'")}\``;
}
