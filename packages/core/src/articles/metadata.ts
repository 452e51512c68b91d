import { createHash } from 'node:crypto';
import { MONTHS } from '../dates/rules.js';
import type { ArticleMeta } from '../types.js';
import { DATE_MARKER } from './body.js';

const MONTH_NAME =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
/** "June 21, 2024", "Jun. 21 2024" */
const MONTH_DAY_YEAR = new RegExp(`\\b${MONTH_NAME}[ \\t]+(\\d{1,2})(?:st|nd|rd|th)?,?[ \\t]+(\\d{4})\\b`, 'i');
/** "21 June 2024", "21st June, 2024" */
const DAY_MONTH_YEAR = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?[ \\t]+${MONTH_NAME},?[ \\t]+(\\d{4})\\b`, 'i');
/** "2024-06-21" */
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/;

/** How far into a plain text a written date is still taken as the article's date. */
export const DATE_SEARCH_CHARS = 1500;
/** Longest first line that can be a title. */
export const MAX_TITLE_CHARS = 120;

function monthIndex(name: string): number {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return MONTHS.findIndex((m) => m.startsWith(lower.slice(0, 3)));
}

/** `YYYY-MM-DD` when year/month/day form a real calendar date (1900–2100), else undefined. */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

interface Found {
  date: string;
  index: number;
  length: number;
}

function allMatches(pattern: RegExp, text: string, toDate: (m: RegExpExecArray) => string | undefined): Found[] {
  const global = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);
  const found: Found[] = [];
  for (let m = global.exec(text); m !== null; m = global.exec(text)) {
    const date = toDate(m);
    if (date !== undefined) found.push({ date, index: m.index, length: m[0].length });
  }
  return found;
}

/** Every real calendar date written in `text` (ISO, "June 21, 2024" or "21 June 2024"), in order. */
export function findDates(text: string): Found[] {
  return [
    ...allMatches(ISO_DATE, text, (m) => isoDate(Number(m[1]), Number(m[2]), Number(m[3]))),
    ...allMatches(MONTH_DAY_YEAR, text, (m) => isoDate(Number(m[3]), monthIndex(m[1] ?? '') + 1, Number(m[2]))),
    ...allMatches(DAY_MONTH_YEAR, text, (m) => isoDate(Number(m[3]), monthIndex(m[2] ?? '') + 1, Number(m[1]))),
  ].sort((a, b) => a.index - b.index);
}

/** The earliest real calendar date written in `text`. */
export function findDate(text: string): Found | undefined {
  return findDates(text)[0];
}

/**
 * The first date in `text` written as a dateline: at the start of a line (optionally after
 * "Published", "Updated", "Posted" or "Date") or ending a line, as in an embedded post
 * ("… (@user) June 21, 2024"). A date inside a sentence ("talks end on 31 December 2004.")
 * says when something happens, not when the article was written, so it is not taken.
 */
export function findDateline(text: string): string | undefined {
  for (const found of findDates(text)) {
    const lineStart = text.lastIndexOf('\n', found.index - 1) + 1;
    const lineEndRaw = text.indexOf('\n', found.index);
    const lineEnd = lineEndRaw === -1 ? text.length : lineEndRaw;
    const before = text.slice(lineStart, found.index);
    const after = text.slice(found.index + found.length, lineEnd);
    if (/^\s*(?:(?:published|updated|posted|date)\b[:\s]*)?(?:on\s+)?$/i.test(before) || /^\s*$/.test(after)) {
      return found.date;
    }
  }
  return undefined;
}

/**
 * Normalises a date given as metadata (front matter, JSON, sidecar): an ISO date or
 * date-time, a YAML date (a `Date`), or a written date such as "June 21, 2024".
 * Returns undefined when it is not a recognisable calendar date.
 */
export function normalizeDate(value: unknown): string | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  }
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(trimmed);
  if (iso !== null) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const found = findDate(trimmed);
  return found !== undefined && found.index <= 4 ? found.date : undefined;
}

/** Words a title does not end with: a line ending in one is a cut-off sentence. */
const FRAGMENT_END_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'but', 'of', 'with', 'from', 'that', 'than']);

/**
 * Whether `line` (the first line of a plain text, followed by a blank line and more
 * text) reads as a title: at most {@link MAX_TITLE_CHARS} characters, at least two
 * words, not starting like a list item or a continuation (`-`, `*`, `>`, `•`, `,`, `)`…)
 * and not ending like a fragment (a comma, colon, semicolon, dash, opening bracket or
 * quote, or a word such as "the", "and", "of"). A title may end with a full stop (news
 * subtitles often do) or an ellipsis ("Rivals of the £400 Apple...", a BBC headline).
 */
export function isTitleLine(line: string): boolean {
  const t = line.trim();
  if (t.length === 0 || t.length > MAX_TITLE_CHARS) return false;
  if (/^[-*>•|,.;:)\]}]/.test(t)) return false;
  if (t.split(/\s+/).length < 2) return false;
  if (/[,;:([{“‘\-–—]$/.test(t)) return false;
  const lastWord = /([\p{L}]+)$/u.exec(t)?.[1]?.toLowerCase();
  if (lastWord !== undefined && FRAGMENT_END_WORDS.has(lastWord)) return false;
  return true;
}

/**
 * Title and date a plain text states about itself:
 * - date: a `date YYYY-MM-DD` marker at the top, else the first dateline (see
 *   {@link findDateline}) in the first {@link DATE_SEARCH_CHARS} characters; never guessed;
 * - title: the first line (after a date marker) when {@link isTitleLine} holds and a
 *   blank line and more text follow it.
 */
export function plainTextMeta(text: string): ArticleMeta {
  const meta: ArticleMeta = {};
  let pos = text.length - text.trimStart().length;
  const marker = DATE_MARKER.exec(text.slice(pos, pos + 40));
  if (marker !== null) {
    const date = normalizeDate(marker[1]);
    if (date !== undefined) meta.date = date;
    pos += marker[0].length;
    while (pos < text.length && /[ \t]/.test(text[pos] ?? '')) pos++;
  }
  const lineEnd = text.indexOf('\n', pos);
  if (lineEnd !== -1) {
    const line = text.slice(pos, lineEnd);
    const after = text.slice(lineEnd + 1);
    if (/^[ \t]*\n/.test(after) && after.trim() !== '' && isTitleLine(line.replace(/^#{1,6}\s+/, ''))) {
      meta.title = line.replace(/^#{1,6}\s+/, '').trim();
    }
  }
  if (meta.date === undefined) {
    const date = findDateline(text.slice(0, DATE_SEARCH_CHARS));
    if (date !== undefined) meta.date = date;
  }
  return meta;
}

const META_KEYS = ['title', 'date', 'url', 'source', 'author', 'collection', 'language'] as const;

/** The metadata with fixed key order and no empty fields: stable input for hashing and storage. */
export function canonicalMeta(meta: ArticleMeta): ArticleMeta {
  const out: ArticleMeta = {};
  for (const key of META_KEYS) {
    const value = meta[key];
    if (typeof value === 'string' && value.trim() !== '') out[key] = value.trim();
  }
  return out;
}

/** sha256 (hex) of the text and the canonical metadata JSON, so a change to either changes it. */
export function articleHash(text: string, meta: ArticleMeta): string {
  return createHash('sha256')
    .update(text)
    .update('\u0000')
    .update(JSON.stringify(canonicalMeta(meta)))
    .digest('hex');
}
