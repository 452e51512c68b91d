import { escapeMarkdown } from 'discord.js';
import { LRUCache } from 'lru-cache';
import { truncate } from './limits.js';

/**
 * Escapes every Markdown construct Discord renders, including what discord.js leaves
 * alone by default: masked links (`[Official statement](https://evil…)` would render as
 * a live link under an innocent label), headings and list markers. Besides discord.js's
 * masked-link escape, every `](` (or `]<`, with spaces between) gets its `(` escaped, so
 * no variant of a masked link survives; lone brackets such as the `[1]` markers stay. Pure.
 */
export function escapeAll(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true }).replace(
    /\](\s*)([(<])/g,
    (_m, space: string, open: string) => `]${space}\\${open}`,
  );
}

/**
 * Article or user text shown as plain text: Markdown escaped (see {@link escapeAll}) and
 * whitespace collapsed. Cut to `max` before escaping, so the cut never splits an escape. Pure.
 */
export function plain(text: string, max: number): string {
  const key = `${max}\u0000${text}`;
  const known = PLAIN_MEMO.get(key);
  if (known !== undefined) return known;
  const escaped = plainUncached(text, max);
  PLAIN_MEMO.set(key, escaped);
  return escaped;
}

/**
 * {@link plain}'s results by text and length. Escaping is the dearest part of rendering an
 * answer (discord.js's escapes are a dozen regular expressions over each source excerpt), and
 * a crowd's answers show the same passages again and again. Bounded by characters.
 */
const PLAIN_MEMO = new LRUCache<string, string>({
  maxSize: 4_000_000,
  sizeCalculation: (value, key) => value.length + key.length,
});

function plainUncached(text: string, max: number): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  // Escapes add at most one character per character; cut so the escaped text still fits.
  let cut = truncate(collapsed, max);
  let escaped = escapeAll(cut);
  while (escaped.length > max && cut.length > 0) {
    cut = truncate(cut, Math.max(0, cut.length - (escaped.length - max) - 1));
    escaped = escapeAll(cut);
  }
  return escaped;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * The URL of an article if it is safe to show as a link: parsed by `new URL()`, http or
 * https only, no white space, `<`, `>` or control characters anywhere in it (they could
 * end the `<…>` that keeps Discord from previewing it, or disguise it), at most 500
 * characters. Else undefined. Pure.
 */
export function safeUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.length > 500 || /[\s<>]/.test(raw) || hasControlCharacter(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined; // https://discord.com@evil.example
  return url.href;
}

/** `Title (2024-06-19)` or the article id when there is no title. Pure. */
export function articleLabel(a: { title?: string; date?: string; articleId?: string; id?: string }): string {
  const title = a.title?.trim() || a.articleId || a.id || 'Untitled article';
  return a.date ? `${title} (${a.date})` : title;
}

/** A link when the article has a safe URL (see {@link safeUrl}), else the file it came from. Pure. */
export function articleLocation(a: { url?: string; articleId?: string; id?: string }): string {
  const url = safeUrl(a.url);
  if (url !== undefined) return `<${url}>`;
  return `File: \`${truncate((a.articleId ?? a.id ?? '').replace(/[`\n\r]/g, "'"), 200)}\``;
}
