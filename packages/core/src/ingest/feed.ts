import { parseFeed } from 'feedsmith';
import { normalizeDate } from '../articles/metadata.js';
import { clip } from '../excerpt.js';

/**
 * Reading RSS 2.0 (with `content:encoded`), RSS 1.0/RDF, Atom 1.0 and JSON Feed 1.1 with
 * `feedsmith` (see the ingest section of the README for the comparison). feedsmith parses a
 * whole document or refuses it; a malformed XML feed is then re-read item by item, so one
 * broken item costs only itself.
 */

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json';

/** One entry of a feed, normalised across formats. Links are absolute. */
export interface FeedItem {
  /** 1-based position in the feed. */
  index: number;
  guid?: string;
  link?: string;
  title?: string;
  /** `description` / `summary`: often a teaser. HTML or text. */
  summary?: string;
  /** `content:encoded` / Atom `content` / JSON `content_html`: HTML. */
  contentHtml?: string;
  /** JSON Feed `content_text`. */
  contentText?: string;
  /** `YYYY-MM-DD` */
  date?: string;
  author?: string;
}

export interface ParsedFeed {
  format: FeedFormat;
  title?: string;
  items: FeedItem[];
  /** Items that could not be read, each named by index and guid or link. */
  problems: string[];
}

/** A feed date (RFC 822 in RSS, RFC 3339 in Atom/JSON) as `YYYY-MM-DD`, or undefined. */
export function feedDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const iso = normalizeDate(value);
  if (iso !== undefined) return iso;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(0, 10);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (value && typeof value === 'object' && 'value' in value) return text((value as { value: unknown }).value);
  return undefined;
}

function absolute(link: string | undefined, base: string): string | undefined {
  if (link === undefined) return undefined;
  try {
    return new URL(link, base).href;
  } catch {
    return undefined;
  }
}

function names(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const all = list
    .map((a) => (typeof a === 'string' ? a : text((a as { name?: unknown } | null)?.name)))
    .filter((a): a is string => a !== undefined && a.trim() !== '');
  return all.length > 0 ? all.join(', ') : undefined;
}

// feedsmith's item types differ per format; the fields read here are named explicitly.
type Loose = Record<string, unknown> & {
  dc?: { creators?: unknown; dates?: unknown[]; creator?: unknown; date?: unknown };
  content?: { encoded?: unknown };
};

function fromItem(format: FeedFormat, raw: Loose, index: number, base: string): FeedItem {
  const item: FeedItem = { index };
  const dcDate = Array.isArray(raw.dc?.dates) ? raw.dc.dates[0] : raw.dc?.date;
  const dcAuthor = names(raw.dc?.creators) ?? text(raw.dc?.creator);
  let link: string | undefined;
  let guid: string | undefined;
  switch (format) {
    case 'rss':
      link = text(raw.link);
      guid = text(raw.guid);
      item.title = text(raw.title);
      item.summary = text(raw.description);
      item.contentHtml = text(raw.content?.encoded);
      item.date = feedDate(raw.pubDate) ?? feedDate(dcDate);
      item.author = dcAuthor ?? names(raw.authors);
      break;
    case 'rdf':
      link = text(raw.link);
      guid = text((raw.rdf as { about?: unknown } | undefined)?.about);
      item.title = text(raw.title);
      item.summary = text(raw.description);
      item.contentHtml = text(raw.content?.encoded);
      item.date = feedDate(dcDate);
      item.author = dcAuthor;
      break;
    case 'atom': {
      const links = Array.isArray(raw.links) ? (raw.links as Array<{ href?: unknown; rel?: unknown }>) : [];
      const alternate = links.find((l) => l.rel === undefined || l.rel === 'alternate') ?? links[0];
      link = text(alternate?.href);
      guid = text(raw.id);
      item.title = text(raw.title);
      item.summary = text(raw.summary);
      item.contentHtml = text(raw.content);
      item.date = feedDate(raw.published) ?? feedDate(raw.updated) ?? feedDate(dcDate);
      item.author = names(raw.authors) ?? dcAuthor;
      break;
    }
    case 'json':
      link = text(raw.url) ?? text(raw.external_url);
      guid = text(typeof raw.id === 'number' ? String(raw.id) : raw.id);
      item.title = text(raw.title);
      item.summary = text(raw.summary);
      item.contentHtml = text(raw.content_html);
      item.contentText = text(raw.content_text);
      item.date = feedDate(raw.date_published) ?? feedDate(raw.date_modified);
      item.author = names(raw.authors) ?? text((raw.author as { name?: unknown } | undefined)?.name);
      break;
  }
  const abs = absolute(link, base);
  if (abs !== undefined) item.link = abs;
  if (guid !== undefined) item.guid = guid;
  for (const key of Object.keys(item) as Array<keyof FeedItem>) if (item[key] === undefined) delete item[key];
  return item;
}

function whole(document: string, base: string): ParsedFeed {
  const { format, feed } = parseFeed(document) as { format: FeedFormat; feed: Loose & { items?: Loose[] } };
  const items = (feed.items ?? (feed as { entries?: Loose[] }).entries ?? []).map((raw, i) =>
    fromItem(format, raw, i + 1, base),
  );
  return { format, title: text(feed.title), items, problems: [] };
}

/** Where a broken item starts, by element name, and how the salvage wrapper closes. */
const SALVAGE: Record<Exclude<FeedFormat, 'json'>, { tag: string; close: string }> = {
  rss: { tag: 'item', close: '</channel></rss>' },
  rdf: { tag: 'item', close: '</rdf:RDF>' },
  atom: { tag: 'entry', close: '</feed>' },
};

function xmlFormat(head: string): Exclude<FeedFormat, 'json'> | undefined {
  if (/<rdf:RDF[\s>]/i.test(head)) return 'rdf';
  if (/<rss[\s>]/i.test(head)) return 'rss';
  if (/<feed[\s>]/i.test(head)) return 'atom';
  return undefined;
}

/** Start offsets of `<tag` elements, by a linear scan (no backtracking on hostile input). */
function elementStarts(document: string, tag: string): number[] {
  const starts: number[] = [];
  const open = `<${tag}`;
  let at = document.indexOf(open);
  while (at !== -1) {
    const next = document[at + open.length];
    if (next === '>' || next === ' ' || next === '\n' || next === '\t' || next === '\r') starts.push(at);
    at = document.indexOf(open, at + open.length);
  }
  return starts;
}

function describe(chunk: string, index: number): string {
  const guid = /<(?:guid|id)[^>]*>([^<]{1,300})</.exec(chunk)?.[1]?.trim();
  const link = /<link[^>]*>([^<]{1,300})</.exec(chunk)?.[1]?.trim() ?? /href="([^"]{1,300})"/.exec(chunk)?.[1];
  return `item ${index}${guid ? ` (guid ${clip(guid, 120)})` : link ? ` (link ${clip(link, 120)})` : ''}`;
}

/** Re-reads a malformed XML feed one item at a time inside the feed's own head. */
function salvage(document: string, base: string, reason: string): ParsedFeed {
  const format = xmlFormat(document.slice(0, 4096));
  if (format === undefined) throw new Error(`not an RSS, RDF, Atom or JSON feed (${reason})`);
  const { tag, close } = SALVAGE[format];
  const starts = elementStarts(document, tag);
  if (starts.length === 0) throw new Error(`malformed feed with no readable item (${reason})`);
  const head = document.slice(0, starts[0]);
  const closeTag = `</${tag}>`;
  const result: ParsedFeed = { format, items: [], problems: [] };
  try {
    result.title = whole(`${head}${close}`, base).title;
  } catch {
    // the head alone may not count as a feed for feedsmith; the title is a nicety
  }
  starts.forEach((start, i) => {
    const limit = starts[i + 1] ?? document.length;
    const end = document.indexOf(closeTag, start);
    const chunk =
      end !== -1 && end < limit ? document.slice(start, end + closeTag.length) : document.slice(start, limit);
    try {
      const parsed = whole(`${head}${chunk}${close}`, base);
      const item = parsed.items[0];
      if (!item) throw new Error('no item');
      result.items.push({ ...item, index: i + 1 });
    } catch {
      result.problems.push(`${describe(chunk, i + 1)}: malformed XML; skipped, the other items are kept`);
    }
  });
  return result;
}

/**
 * Parses a feed document of any of the four formats. Throws (with a reason) only when
 * nothing of it can be read; items that cannot be read are listed in `problems`.
 * `base` (the feed's URL) resolves relative links.
 */
export function parseFeedDocument(document: string, base: string): ParsedFeed {
  try {
    return whole(document, base);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (document.trimStart().startsWith('{')) throw new Error(`not a valid JSON Feed (${clip(reason, 200)})`);
    return salvage(document, base, clip(reason, 200));
  }
}
