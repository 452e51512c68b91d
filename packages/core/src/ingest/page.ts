import { extractHtmlInWorker } from '../articles/html-pool.js';
import type { ArticleMeta } from '../types.js';
import { decodeBody } from './charset.js';
import type { Validators } from './http-fetch.js';
import type { PoliteFetcher } from './polite.js';

/** An article page, fetched and read. */
export type FetchedPage =
  | { notModified: true; url: string }
  | { notModified: false; url: string; text: string; meta: ArticleMeta; validators: Validators };

/**
 * Fetches an article page and extracts it with core's HTML reader (Readability in a
 * worker thread with a time limit), decoding it by the Content-Type charset or the
 * page's `<meta charset>`. Metadata: title, `article:published_time` / JSON-LD
 * `datePublished`, byline / JSON-LD `author`, site name / JSON-LD `publisher`,
 * `<link rel=canonical>` (all read by the HTML reader).
 */
export async function fetchPage(
  fetcher: PoliteFetcher,
  url: string,
  validators: Validators,
  timeoutMs: number,
): Promise<FetchedPage> {
  const response = await fetcher.get(url, validators, 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5');
  if (response.notModified) return { notModified: true, url: response.url };
  const html = decodeBody(response.body, response.headers['content-type']);
  const { text, meta } = await extractHtmlInWorker(html, timeoutMs);
  return { notModified: false, url: response.url, text, meta, validators: response.validators };
}

/** The text of an HTML fragment from a feed (`content:encoded`, Atom `content`), by the same reader. */
export async function fragmentText(html: string, timeoutMs: number): Promise<string> {
  if (!/[<&]/.test(html)) return html.trim();
  const { text } = await extractHtmlInWorker(
    `<!doctype html><html><body><article>${html}</article></body></html>`,
    timeoutMs,
  );
  return text.trim();
}
