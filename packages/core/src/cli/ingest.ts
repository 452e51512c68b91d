import type { Command } from 'commander';
import { envDefaults } from '../config.js';
import { newsragError } from '../errors.js';
import { addFeed, readFeeds, removeFeed } from '../ingest/feeds-file.js';
import { type IngestSummary, ingest } from '../ingest/ingest.js';
import { every, parseInterval } from '../ingest/schedule.js';
import type { KnowledgeBase } from '../types.js';
import { formatSummary } from './format.js';
import type { CliIo } from './program.js';

interface IngestFlags {
  feed: string[];
  url: string[];
  feedsFile?: string;
  articlesDir: string;
  allowHost: string[];
  json: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `ingest --json` prints this: the summary without the index run's details. */
export function ingestJson(s: IngestSummary): Record<string, unknown> {
  return {
    fetched: s.fetched,
    new: s.new,
    updated: s.updated,
    unchanged: s.unchanged,
    notModified: s.notModified,
    duplicates: s.duplicates,
    issues: s.issues,
    ...(s.index
      ? { index: { chunksEmbedded: s.index.chunksEmbedded, added: s.index.added, updated: s.index.updated } }
      : {}),
  };
}

export function formatIngest(s: IngestSummary): string {
  const lines = [
    `Ingested: ${s.fetched} fetched, ${s.notModified} not modified; articles ${s.new} new, ${s.updated} updated, ${s.unchanged} unchanged.`,
  ];
  for (const d of s.duplicates) {
    lines.push(
      d.kind === 'same-item'
        ? `  same item ${d.articles.length}×, kept once as ${d.canonical}`
        : `  one story in ${d.articles.length} articles (shown as ${d.canonical}): ${d.articles.join(', ')}`,
    );
  }
  for (const i of s.issues) lines.push(`  ${i.code}: ${i.message}`);
  if (s.index) lines.push(formatSummary(s.index));
  return lines.join('\n');
}

/** Adds `newsrag ingest`, `newsrag feeds add|remove|list` and `newsrag watch`. */
export function addIngestCommands(program: Command, io: CliIo, open: () => Promise<KnowledgeBase>): void {
  const env = envDefaults();

  const withSources = (c: Command) =>
    c
      .option('--feed <url>', 'a feed URL (RSS, RDF, Atom, JSON Feed); repeatable', collect, [])
      .option('--url <url>', 'an article page URL; repeatable', collect, [])
      .option('--feeds-file <file>', `the feeds file (default ${env.feedsFile} when no --feed/--url is given)`)
      .option('--articles-dir <dir>', 'where article files are written', env.articlesDir)
      .option(
        '--allow-host <host>',
        'a host that may resolve to a private or loopback address; repeatable',
        collect,
        [],
      )
      .option('--json', 'print a JSON summary', false);

  const feedsOf = async (flags: IngestFlags): Promise<string[]> => {
    const listed = flags.feedsFile !== undefined || (flags.feed.length === 0 && flags.url.length === 0);
    const fromFile = listed ? await readFeeds(flags.feedsFile ?? env.feedsFile) : [];
    return [...flags.feed, ...fromFile];
  };

  const runOnce = async (kb: KnowledgeBase, flags: IngestFlags) => {
    const feeds = await feedsOf(flags);
    if (feeds.length === 0 && flags.url.length === 0) {
      throw newsragError('BAD_OPTIONS', {
        subject: 'newsrag ingest',
        problem: `has nothing to ingest (no --feed, no --url, no feeds in ${flags.feedsFile ?? env.feedsFile})`,
        fix: 'give --feed or --url, or add feeds with `newsrag feeds add URL`',
      });
    }
    const summary = await ingest({
      feeds,
      urls: flags.url,
      articlesDir: flags.articlesDir,
      allowHosts: flags.allowHost,
      contact: env.contact,
      kb,
    });
    io.stdout(flags.json ? `${JSON.stringify(ingestJson(summary))}\n` : `${formatIngest(summary)}\n`);
    return summary;
  };

  withSources(
    program.command('ingest').description('fetch feeds and article pages into the articles folder, then index them'),
  ).action(async (flags: IngestFlags) => {
    const kb = await open();
    try {
      const summary = await runOnce(kb, flags);
      if (summary.issues.length > 0 && summary.fetched + summary.notModified === 0) process.exitCode = 1;
    } finally {
      await kb.close();
    }
  });

  withSources(
    program
      .command('watch')
      .description('ingest the feeds now and then on a schedule, until Ctrl-C (SIGINT) or SIGTERM')
      .option('--every <interval>', 'time between refreshes, e.g. 15m, 1h', '15m'),
  ).action(async (flags: IngestFlags & { every: string }) => {
    const everyMs = parseInterval(flags.every);
    const kb = await open();
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await every(
        everyMs,
        stop.signal,
        async () => {
          await runOnce(kb, flags);
        },
        (error) => io.stderr(`newsrag watch: ${error instanceof Error ? error.message : String(error)}\n`),
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await kb.close();
    }
  });

  const feeds = program.command('feeds').description('keep the list of feeds that ingest and watch read');
  const fileOption = (c: Command) => c.option('--feeds-file <file>', 'the feeds file', env.feedsFile);
  fileOption(feeds.command('add').description('add a feed URL').argument('<url>')).action(
    async (url: string, o: { feedsFile: string }) => {
      const added = await addFeed(o.feedsFile, url);
      io.stdout(added ? `Added ${url} to ${o.feedsFile}\n` : `${url} is already in ${o.feedsFile}\n`);
    },
  );
  fileOption(feeds.command('remove').description('remove a feed URL').argument('<url>')).action(
    async (url: string, o: { feedsFile: string }) => {
      const removed = await removeFeed(o.feedsFile, url);
      io.stdout(removed ? `Removed ${url} from ${o.feedsFile}\n` : `${url} was not in ${o.feedsFile}\n`);
      if (!removed) process.exitCode = 1;
    },
  );
  fileOption(feeds.command('list').description('list the feeds').option('--json', 'print JSON', false)).action(
    async (o: { feedsFile: string; json: boolean }) => {
      const list = await readFeeds(o.feedsFile);
      io.stdout(o.json ? `${JSON.stringify(list)}\n` : list.map((f) => `${f}\n`).join(''));
    },
  );
}
