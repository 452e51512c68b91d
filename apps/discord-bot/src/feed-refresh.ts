import { every, type IngestSummary, ingest, type KnowledgeBase, readFeeds } from '@newsrag/core';
import type { BotConfig } from './config.js';
import type { Logger } from './log.js';

/** The scheduled feed refresh: core's `ingest` on `NEWSRAG_FEEDS` plus the feeds file. */
export interface FeedRefresh {
  /** Starts the schedule (a first refresh right away); no-op when already started. */
  start(): void;
  /** Ends the schedule and waits for a refresh in progress. */
  stop(): Promise<void>;
  /** Runs one refresh now (after any in progress). */
  refresh(): Promise<IngestSummary | null>;
}

type RefreshConfig = Pick<
  BotConfig,
  'feeds' | 'feedsFile' | 'refreshMinutes' | 'allowHosts' | 'contact' | 'articlesDir'
>;

/** The feeds to refresh: the configured ones and the feeds file's, once each. */
export async function feedsToRefresh(config: Pick<BotConfig, 'feeds' | 'feedsFile'>): Promise<string[]> {
  return [...new Set([...config.feeds, ...(await readFeeds(config.feedsFile))])];
}

/** A line for the log about a refresh; feed errors are listed, one per feed or item. Pure. */
export function refreshLog(s: IngestSummary): string {
  return (
    `feed refresh: ${s.fetched} fetched, ${s.notModified} not modified, ${s.new} new, ${s.updated} updated` +
    (s.index ? `, ${s.index.chunksEmbedded} passages embedded` : '')
  );
}

export function createFeedRefresh(config: RefreshConfig, kb: KnowledgeBase, logger: Logger): FeedRefresh {
  let stopper: AbortController | null = null;
  let loop: Promise<void> = Promise.resolve();
  let chain: Promise<unknown> = Promise.resolve();

  const once = async (): Promise<IngestSummary | null> => {
    const feeds = await feedsToRefresh(config);
    if (feeds.length === 0) return null;
    const summary = await ingest({
      feeds,
      articlesDir: config.articlesDir,
      allowHosts: config.allowHosts,
      contact: config.contact,
      kb,
    });
    logger.info(refreshLog(summary));
    // A failing feed is reported, the others were ingested all the same.
    for (const issue of summary.issues) logger.warn(`feed refresh: ${issue.code}: ${issue.message}`);
    return summary;
  };
  const refresh = () => {
    const run = chain.then(once);
    chain = run.catch(() => undefined);
    return run;
  };

  return {
    start() {
      if (stopper) return;
      stopper = new AbortController();
      loop = every(
        config.refreshMinutes * 60_000,
        stopper.signal,
        async () => {
          await refresh();
        },
        (error) => logger.error('feed refresh failed', error),
      );
    },
    async stop() {
      stopper?.abort();
      stopper = null;
      await loop;
    },
    refresh,
  };
}
