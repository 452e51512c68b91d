import { mkdir } from 'node:fs/promises';
import { type IngestSettings, parseIngestSettings } from '../config.js';
import { NewsragError, type NewsragErrorCode, newsragError } from '../errors.js';
import type { ArticleMeta, IndexSummary, KnowledgeBase } from '../types.js';
import { redactUrl } from './address-policy.js';
import { type ArticleFile, articleFilePath, articleIdOf, writeArticleFile } from './article-file.js';
import { canonicalUrl, identityKeys } from './canonical.js';
import { decodeBody } from './charset.js';
import type { FeedItem } from './feed.js';
import type { Validators } from './http-fetch.js';
import { fetchPage, fragmentText } from './page.js';
import { parseFeedInWorker } from './parse-feed.js';
import { PoliteFetcher } from './polite.js';
import { type IngestState, readState, writeState } from './state.js';

/** Options of {@link ingest}. */
export interface IngestOptions extends IngestSettings {
  /** Feed URLs (RSS 2.0, RSS 1.0/RDF, Atom 1.0, JSON Feed 1.1). */
  feeds?: string[];
  /** Article page URLs, fetched and extracted directly. */
  urls?: string[];
  /** Where article files and the ingest state file are written. */
  articlesDir: string;
  /** When given, `kb.index([articlesDir])` runs after the files are written (incremental). */
  kb?: KnowledgeBase;
}

/** A problem with one feed, item or page; the others go on. */
export interface IngestProblem {
  code: NewsragErrorCode;
  /** The feed or page URL (credentials removed). */
  url: string;
  /** The item, when the problem is one item of a feed: its 1-based index and guid or link. */
  item?: { index: number; guid?: string; link?: string };
  message: string;
}

/**
 * Copies of one story seen by a run:
 * - `same-item`: an item found more than once (same GUID or canonical URL), stored once;
 *   `articles` lists every occurrence as `<feed or page URL> item <n>` with its guid or link;
 * - `near-duplicate`: an article written this run whose text is a copy of other indexed
 *   articles (a syndicated wire story under another headline; see `nearDuplicateGroups`);
 *   `articles` lists the group's article ids. Search shows one of them, naming the others.
 */
export interface IngestDuplicate {
  kind: 'same-item' | 'near-duplicate';
  /** The id of the article that stands for the group. */
  canonical: string;
  articles: string[];
}

/** What {@link ingest} did. */
export interface IngestSummary {
  /** Feeds and pages downloaded (HTTP 200). */
  fetched: number;
  /** Articles written for the first time. */
  new: number;
  /** Articles whose content changed and were rewritten in place. */
  updated: number;
  /** Articles fetched again with the same content (not rewritten, not re-embedded). */
  unchanged: number;
  /** Feeds and pages answered 304 Not Modified. */
  notModified: number;
  duplicates: IngestDuplicate[];
  issues: IngestProblem[];
  /** Ids of the articles written (new or updated) this run. */
  written: string[];
  /** The index run, when a knowledge base was given. */
  index?: IndexSummary;
}

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/** Items of one feed processed at the same time (the per-host gate still applies). */
const ITEM_CONCURRENCY = 4;

/** One run: the shared state, the fetcher, and what has been seen. */
class Run {
  readonly summary: IngestSummary = {
    fetched: 0,
    new: 0,
    updated: 0,
    unchanged: 0,
    notModified: 0,
    duplicates: [],
    issues: [],
    written: [],
  };
  /** Identity key → the article id claimed for it in this run, and its occurrences. */
  private readonly seen = new Map<string, { id: string; occurrences: string[] }>();

  constructor(
    readonly state: IngestState,
    readonly fetcher: PoliteFetcher,
    readonly settings: ReturnType<typeof parseIngestSettings>,
    readonly articlesDir: string,
  ) {}

  problem(error: unknown, url: string, item?: FeedItem): void {
    const code: NewsragErrorCode = error instanceof NewsragError ? error.code : 'FETCH_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    this.summary.issues.push({
      code,
      url: redactUrl(url),
      ...(item ? { item: { index: item.index, guid: item.guid, link: item.link } } : {}),
      message,
    });
  }

  /**
   * Claims `keys` for an occurrence. Returns false (and records the duplicate) when one
   * of them was already claimed this run by another occurrence.
   */
  claim(keys: string[], occurrence: string): boolean {
    const taken = keys.map((k) => this.seen.get(k)).find((e) => e !== undefined);
    if (taken) {
      taken.occurrences.push(occurrence);
      for (const k of keys) if (!this.seen.has(k)) this.seen.set(k, taken);
      return false;
    }
    const entry = { id: '', occurrences: [occurrence] };
    for (const k of keys) this.seen.set(k, entry);
    return true;
  }

  /** Sets the article id of the entry that `keys` claimed. */
  settle(keys: string[], id: string): void {
    for (const k of keys) {
      const e = this.seen.get(k);
      if (e) e.id = id;
    }
  }

  /** The existing article of any of `keys`, else a new path from the first key. */
  pathFor(keys: string[], link: string | undefined): string {
    for (const k of keys) {
      const id = this.state.items[k];
      if (id !== undefined) return `${id.replace(/\/1$/, '')}.json`;
    }
    return articleFilePath(keys[0] as string, link);
  }

  duplicates(): IngestDuplicate[] {
    const groups = new Set([...this.seen.values()].filter((e) => e.occurrences.length > 1 && e.id !== ''));
    return [...groups].map((e) => ({ kind: 'same-item', canonical: e.id, articles: e.occurrences }));
  }

  async save(relativePath: string, article: ArticleFile, keys: string[]): Promise<void> {
    const outcome = await writeArticleFile(this.articlesDir, relativePath, article);
    const id = articleIdOf(relativePath);
    this.summary[outcome]++;
    if (outcome !== 'unchanged') this.summary.written.push(id);
    for (const k of keys) this.state.items[k] = id;
    this.settle(keys, id);
  }
}

function occurrenceName(where: string, item?: FeedItem): string {
  if (!item) return redactUrl(where);
  const id = item.guid ? ` (guid ${item.guid})` : item.link ? ` (${redactUrl(item.link)})` : '';
  return `${redactUrl(where)} item ${item.index}${id}`;
}

function defined(meta: ArticleMeta): ArticleMeta {
  const out: ArticleMeta = {};
  for (const [k, v] of Object.entries(meta) as Array<[keyof ArticleMeta, string | undefined]>) {
    if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  }
  return out;
}

/** Fetches a page (conditionally) into an article; returns false when it could not be had. */
async function ingestPage(
  run: Run,
  link: string,
  base: { keys: string[]; meta: ArticleMeta; feed?: string; guid?: string; fallbackText?: string },
  where: string,
  item?: FeedItem,
): Promise<boolean> {
  const validators = run.state.http[link] ?? {};
  const page = await fetchPage(run.fetcher, link, validators, run.settings.parseTimeoutMs);
  if (page.notModified) {
    run.summary.notModified++;
    const known = base.keys.map((k) => run.state.items[k]).find((id) => id !== undefined);
    if (known !== undefined) {
      run.settle(base.keys, known);
      return true;
    }
    // A 304 for a page we hold no article for (state lost): fetch it whole next time.
    delete run.state.http[link];
    throw newsragError('FETCH_FAILED', {
      url: redactUrl(link),
      problem: 'answered 304 but no article is stored for it; retried next run',
    });
  }
  run.summary.fetched++;
  const canonical = page.meta.url !== undefined ? canonicalUrl(new URL(page.meta.url, page.url).href) : undefined;
  const keys = identityKeys(undefined, canonical);
  const extra = keys.filter((k) => !base.keys.includes(k));
  if (extra.length > 0 && !run.claim(extra, occurrenceName(where, item))) {
    // Another item of this run is the same article by its canonical URL.
    run.state.http[link] = page.validators;
    return true;
  }
  const allKeys = [...base.keys, ...extra];
  const text = page.text.trim() !== '' ? page.text : (base.fallbackText ?? '');
  if (text.trim() === '')
    throw newsragError('ARTICLE_EMPTY', { source: redactUrl(link), problem: 'no article text on the page' });
  // The feed item's metadata first: it is the publisher's own statement about the item.
  const meta = defined({ ...page.meta, ...base.meta, url: canonical ?? base.meta.url ?? page.url });
  const article: ArticleFile = {
    ...meta,
    text,
    sourceUrl: redactUrl(link),
    ...(base.feed ? { feed: redactUrl(base.feed) } : {}),
    ...(base.guid ? { guid: base.guid } : {}),
    fetchedAt: new Date().toISOString(),
  };
  await run.save(run.pathFor(allKeys, link), article, allKeys);
  run.state.http[link] = page.validators;
  return true;
}

async function ingestItem(run: Run, feedUrl: string, feedTitle: string | undefined, item: FeedItem): Promise<boolean> {
  const keys = identityKeys(item.guid, item.link);
  if (keys.length === 0) {
    run.problem(
      newsragError('FEED_BAD_FORMAT', {
        source: `${redactUrl(feedUrl)} item ${item.index}`,
        problem: 'neither a guid nor a link; skipped',
      }),
      feedUrl,
      item,
    );
    return true;
  }
  if (!run.claim(keys, occurrenceName(feedUrl, item))) return true;
  const timeout = run.settings.parseTimeoutMs;
  try {
    const full = item.contentHtml ?? item.contentText;
    const fullText = full === undefined ? '' : await fragmentText(full, timeout);
    // The summary is read only when the content is not enough by itself.
    const summaryText =
      item.summary === undefined || fullText.length >= run.settings.minFullTextChars
        ? ''
        : await fragmentText(item.summary, timeout);
    const meta = defined({
      title: item.title,
      date: item.date,
      author: item.author,
      source: feedTitle,
      url: item.link,
    });
    const best = fullText.length >= summaryText.length ? fullText : summaryText;
    // Summary only: the feed's own text is short, so the page is where the article is.
    if (best.length < run.settings.minFullTextChars && item.link !== undefined) {
      return await ingestPage(
        run,
        item.link,
        { keys, meta, feed: feedUrl, guid: item.guid, fallbackText: best },
        feedUrl,
        item,
      );
    }
    if (best.trim() === '') {
      throw newsragError('ARTICLE_EMPTY', {
        source: `${redactUrl(feedUrl)} item ${item.index}`,
        problem: 'no text and no link',
      });
    }
    const article: ArticleFile = {
      ...meta,
      text: best,
      ...(item.link ? { sourceUrl: redactUrl(item.link) } : {}),
      feed: redactUrl(feedUrl),
      ...(item.guid ? { guid: item.guid } : {}),
      fetchedAt: new Date().toISOString(),
    };
    await run.save(run.pathFor(keys, item.link), article, keys);
    return true;
  } catch (error) {
    run.problem(error, item.link ?? feedUrl, item);
    return false;
  }
}

async function ingestFeed(run: Run, feedUrl: string): Promise<void> {
  let complete = true;
  let validators: Validators | undefined;
  try {
    const response = await run.fetcher.get(feedUrl, run.state.http[feedUrl] ?? {}, FEED_ACCEPT);
    if (response.notModified) {
      run.summary.notModified++;
      return;
    }
    run.summary.fetched++;
    validators = response.validators;
    const document = decodeBody(response.body, response.headers['content-type']);
    const feed = await parseFeedInWorker(document, response.url, run.settings.parseTimeoutMs);
    for (const message of feed.problems) {
      run.problem(newsragError('FEED_BAD_FORMAT', { source: redactUrl(feedUrl), problem: message }), feedUrl);
    }
    let next = 0;
    const worker = async () => {
      while (next < feed.items.length) {
        const item = feed.items[next++] as FeedItem;
        if (!(await ingestItem(run, feedUrl, feed.title, item))) complete = false;
      }
    };
    await Promise.all(Array.from({ length: Math.min(ITEM_CONCURRENCY, feed.items.length) }, worker));
  } catch (error) {
    const wrapped =
      error instanceof NewsragError
        ? error
        : newsragError('FEED_BAD_FORMAT', {
            source: redactUrl(feedUrl),
            problem: String((error as Error).message ?? error),
          });
    run.problem(wrapped, feedUrl);
    return;
  }
  // Kept only when every item was handled: a 304 next time must not hide an item that failed.
  if (complete && validators) run.state.http[feedUrl] = validators;
  else delete run.state.http[feedUrl];
}

async function ingestUrl(run: Run, url: string): Promise<void> {
  const keys = identityKeys(undefined, url);
  if (keys.length === 0) {
    run.problem(newsragError('FETCH_BLOCKED', { url: redactUrl(url), reason: 'not a valid URL' }), url);
    return;
  }
  if (!run.claim(keys, occurrenceName(url))) return;
  try {
    await ingestPage(run, url, { keys, meta: {} }, url);
  } catch (error) {
    run.problem(error, url);
  }
}

/**
 * Fetches feeds and article pages into the articles folder, one JSON article file per
 * item (the same GUID or canonical URL is one file, rewritten in place when its content
 * changes), then indexes the folder incrementally when `kb` is given. Unchanged feeds
 * and pages cost a conditional GET answered 304. A failing feed, item or page is
 * reported in `issues` and the rest go on.
 *
 * @example
 * ```ts
 * const kb = await openKnowledgeBase({ indexDir: '.newsrag' });
 * const summary = await ingest({
 *   feeds: ['https://example.com/rss.xml'],
 *   articlesDir: 'data/articles',
 *   contact: 'mailto:news-bot@example.com',
 *   kb,
 * });
 * console.log(summary.new, summary.notModified, summary.issues);
 * ```
 */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const { feeds = [], urls = [], articlesDir, kb, ...rest } = options;
  const settings = parseIngestSettings(rest);
  if (typeof articlesDir !== 'string' || articlesDir === '') {
    throw newsragError('BAD_OPTIONS', {
      subject: 'Ingest option `articlesDir`',
      problem: 'is required: the folder articles are saved in',
    });
  }
  await mkdir(articlesDir, { recursive: true });
  const { state, warning } = await readState(articlesDir);
  const run = new Run(state, new PoliteFetcher(settings), settings, articlesDir);
  if (warning) run.problem(warning, articlesDir);
  await Promise.all([...new Set(feeds)].map((f) => ingestFeed(run, f)));
  await Promise.all([...new Set(urls)].map((u) => ingestUrl(run, u)));
  await writeState(articlesDir, state);
  run.summary.duplicates = run.duplicates();
  if (kb) {
    run.summary.index = await kb.index([articlesDir]);
    // Groups are computed over the whole index, so a new copy of a story indexed earlier is named too.
    const written = new Set(run.summary.written);
    for (const group of kb.nearDuplicateGroups()) {
      if (group.articles.some((id) => written.has(id)))
        run.summary.duplicates.push({ kind: 'near-duplicate', ...group });
    }
  }
  return run.summary;
}
