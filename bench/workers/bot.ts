/**
 * Worker: latency from an `/ask` interaction to the bot's edited reply, through the
 * local Discord stand-in (`tests/discord/standin.ts`, loopback only) against the real
 * bot (`createBot`, the real discord.js client) on a real knowledge base, at several
 * concurrency levels.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openKnowledgeBase } from '@newsrag/core';
import { apologyFor, createBot, createLogger, parseConfig } from '@newsrag/discord-bot';
import { DiscordStandin, type SentInteraction, snowflake } from '../../tests/discord/standin.js';
import { workerMain } from '../lib/child.js';
import { type Percentiles, percentiles } from '../lib/stats.js';

export interface BotParams {
  indexDir: string;
  articlesDir: string;
  queriesFile: string;
  /** Concurrency levels, each run `rounds` times (at least `minSamples` asks in all). */
  levels: number[];
  minSamples: number;
  warmup: number;
}

export interface BotLevel {
  concurrency: number;
  latency: Percentiles;
  /** Edits that were refused by the stand-in or carried the bot's apology instead of an answer — should be 0. */
  failures: number;
}

export interface BotResult {
  levels: BotLevel[];
  violations: number;
}

/** A token the bot must not log; the stand-in accepts any non-empty token. */
const TOKEN = 'MTE5OTk5.bench-standin-token.not-a-secret';

workerMain<BotParams, BotResult>(async (p) => {
  const queries = JSON.parse(await readFile(p.queriesFile, 'utf8')) as string[];
  const scratch = await mkdtemp(path.join(tmpdir(), 'newsrag-bench-bot-'));
  const kb = await openKnowledgeBase({ indexDir: p.indexDir, model: 'standin' });
  const standin = await DiscordStandin.start();
  const config = parseConfig({
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: standin.apiUrl,
    NEWSRAG_INDEX_DIR: p.indexDir,
    NEWSRAG_ARTICLES_DIR: p.articlesDir,
    NEWSRAG_MODEL: 'standin',
    NEWSRAG_COOLDOWN_SECONDS: '0',
    NEWSRAG_FEEDBACK_LOG: path.join(scratch, 'feedback.jsonl'),
  });
  const bot = createBot(config, kb, { logger: createLogger({ secrets: [TOKEN], sink: () => {} }) });
  let next = 0;
  const ask = async (): Promise<{ ms: number; ok: boolean }> => {
    const question = queries[next++ % queries.length] as string;
    const user = { id: snowflake(), username: `reader${next}`, global_name: `reader${next}` };
    const sent: SentInteraction = standin.sendCommand({
      name: 'ask',
      user,
      options: [{ name: 'question', type: 3, value: question }],
    });
    const edit = await standin.waitFor(
      (c) => c.method === 'PATCH' && c.path === `/webhooks/${sent.applicationId}/${sent.token}/messages/@original`,
      120_000,
    );
    const apology = JSON.stringify(edit.body ?? '').includes(apologyFor(new Error('any')));
    return { ms: edit.receivedAt - sent.sentAt, ok: edit.status < 300 && !apology };
  };
  try {
    await bot.start();
    for (let i = 0; i < p.warmup; i++) await ask();
    const levels: BotLevel[] = [];
    for (const concurrency of p.levels) {
      const rounds = Math.max(1, Math.ceil(p.minSamples / concurrency));
      const ms: number[] = [];
      let failures = 0;
      for (let r = 0; r < rounds; r++) {
        const results = await Promise.all(Array.from({ length: concurrency }, () => ask()));
        for (const x of results) {
          ms.push(x.ms);
          if (!x.ok) failures++;
        }
      }
      levels.push({ concurrency, latency: percentiles(ms), failures });
    }
    return { levels, violations: standin.violations.length };
  } finally {
    await bot.stop();
    await standin.stop();
    await kb.close();
    await rm(scratch, { recursive: true, force: true });
  }
});
