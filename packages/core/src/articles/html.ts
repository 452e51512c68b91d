import type { ArticleMeta } from '../types.js';
import { htmlNestingDepth, MAX_HTML_DEPTH } from './html-depth.js';
import { normalizeLanguage } from './labels.js';
import { normalizeDate } from './metadata.js';

/** Elements whose content starts a new paragraph. */
const BLOCK_TAGS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'DD',
  'DIV',
  'DL',
  'DT',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'TABLE',
  'TD',
  'TH',
  'TR',
  'UL',
]);
/** Elements that are never article text. */
const DROP_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'NAV',
  'HEADER',
  'FOOTER',
  'ASIDE',
  'FORM',
  'BUTTON',
  'SVG',
  'IFRAME',
]);

interface HtmlLibraries {
  JSDOM: typeof import('jsdom').JSDOM;
  VirtualConsole: typeof import('jsdom').VirtualConsole;
  Readability: typeof import('@mozilla/readability').Readability;
}

let libraries: Promise<HtmlLibraries> | undefined;

/** jsdom takes half a second to load: only pay for it when there is HTML to read. */
function loadLibraries(): Promise<HtmlLibraries> {
  libraries ??= Promise.all([import('jsdom'), import('@mozilla/readability')]).then(([jsdom, readability]) => ({
    JSDOM: jsdom.JSDOM,
    VirtualConsole: jsdom.VirtualConsole,
    Readability: readability.Readability,
  }));
  return libraries;
}

/** A document's text and what it says about itself. */
export interface ExtractedHtml {
  text: string;
  meta: ArticleMeta;
}

/**
 * Text of a DOM subtree with one paragraph per block element, paragraphs
 * separated by a blank line and white space inside a paragraph collapsed.
 */
function blockText(root: Node, drop: Set<string>): string {
  const paragraphs: string[] = [];
  let current = '';
  const flush = () => {
    const p = current.replace(/\s+/g, ' ').trim();
    if (p !== '') paragraphs.push(p);
    current = '';
  };
  const walk = (node: Node) => {
    if (node.nodeType === 3) {
      current += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1) return;
    const tag = (node as Element).tagName.toUpperCase();
    if (drop.has(tag)) return;
    if (tag === 'BR') {
      current += ' ';
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) flush();
    for (const child of Array.from(node.childNodes)) walk(child);
    if (block) flush();
  };
  walk(root);
  flush();
  return paragraphs.join('\n\n');
}

function metaContent(doc: Document, selectors: string[]): string | undefined {
  for (const selector of selectors) {
    const el = doc.querySelector(selector);
    const value = el?.getAttribute(el.tagName === 'LINK' ? 'href' : el.tagName === 'TIME' ? 'datetime' : 'content');
    if (value !== null && value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/**
 * Extracts the article of an HTML page with Readability (scripts, styles and
 * navigation dropped), keeping paragraphs apart. Falls back to the body's text
 * when Readability finds no article. Metadata: title, byline (author), site name
 * (source), published time (date), canonical or `og:url` (url), `<html lang>` (language;
 * a tag that is not one is left out silently: pages are not the corpus owner's to fix).
 *
 * jsdom runs no scripts and loads no resources here: the page is only parsed.
 */
export async function extractHtml(html: string): Promise<ExtractedHtml> {
  const depth = htmlNestingDepth(html);
  if (depth > MAX_HTML_DEPTH) {
    throw new Error(
      `its elements are nested ${depth} deep, more than the ${MAX_HTML_DEPTH} accepted for an article page`,
    );
  }
  const { JSDOM, VirtualConsole, Readability } = await loadLibraries();
  // A console that forwards nowhere: a page's broken CSS must not flood the indexer's output.
  const dom = new JSDOM(html, { virtualConsole: new VirtualConsole() });
  try {
    const doc = dom.window.document;
    const url = metaContent(doc, ['link[rel="canonical"]', 'meta[property="og:url"]']);
    const lang = doc.documentElement?.getAttribute('lang');
    const language = lang ? normalizeLanguage(lang) : undefined;
    const headDate = normalizeDate(
      metaContent(doc, [
        'meta[property="article:published_time"]',
        'meta[name="date"]',
        'meta[name="pubdate"]',
        'meta[itemprop="datePublished"]',
        'time[datetime]',
      ]),
    );
    // Readability changes the document it reads, so the fallback needs its own copy.
    const fallbackBody = doc.body?.cloneNode(true);
    const parsed = new Readability(doc).parse();
    let text = '';
    if (parsed?.content) {
      const content = new JSDOM(`<body>${parsed.content}</body>`, { virtualConsole: new VirtualConsole() });
      text = blockText(content.window.document.body, new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']));
      content.window.close();
    }
    if (text.trim() === '' && fallbackBody !== undefined) text = blockText(fallbackBody, DROP_TAGS);
    const meta: ArticleMeta = {};
    const title = parsed?.title?.trim() || doc.title?.trim();
    if (title) meta.title = title;
    const date = normalizeDate(parsed?.publishedTime ?? undefined) ?? headDate;
    if (date !== undefined) meta.date = date;
    const author = parsed?.byline?.replace(/^\s*by\s+/i, '').trim();
    if (author) meta.author = author;
    if (parsed?.siteName?.trim()) meta.source = parsed.siteName.trim();
    if (url !== undefined) meta.url = url;
    if (language !== undefined) meta.language = language;
    return { text, meta };
  } finally {
    dom.window.close();
  }
}
