/**
 * Worker: the bot under a crowd, through the faithful local Discord stand-in
 * (`@newsrag/test-support/discord`: Discord's rate limits and interaction deadlines enforced, on
 * 127.0.0.1), against the real bot (`createBot`, the real discord.js client) in its own
 * process on a real knowledge base, at several concurrency levels. The measuring is
 * `bench/bot/crowd.ts`, shared with the bot's own load benchmark.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apologyFor } from '@newsrag/discord-bot/internals';
import { DiscordStandin } from '@newsrag/test-support/discord';
import { type CrowdLevel, measureCrowd } from '../bot/crowd.js';
import { startBotProcess } from '../bot/start-bot-process.js';
import { workerMain } from '../lib/child.js';

export interface BotParams {
  indexDir: string;
  articlesDir: string;
  queriesFile: string;
  /** The model the index was built with. */
  model: string;
  dtype: 'fp32' | 'q8';
  /** Concurrency levels, each run in waves until it has at least `minSamples` asks. */
  levels: number[];
  minSamples: number;
  warmup: number;
}

export interface BotResult {
  levels: CrowdLevel[];
}

/** A token the bot must not log; the stand-in accepts any non-empty token. */
const TOKEN = 'MTE5OTk5.bench-standin-token.not-a-secret';

workerMain<BotParams, BotResult>(async (p) => {
  const queries = JSON.parse(await readFile(p.queriesFile, 'utf8')) as string[];
  const scratch = await mkdtemp(path.join(tmpdir(), 'newsrag-bench-bot-'));
  const standin = await DiscordStandin.start();
  const bot = await startBotProcess({
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: standin.apiUrl,
    NEWSRAG_INDEX_DIR: p.indexDir,
    NEWSRAG_ARTICLES_DIR: p.articlesDir,
    NEWSRAG_MODEL: p.model,
    NEWSRAG_DTYPE: p.dtype,
    // The run's frozen copy of a real model (see bench/lib/real-model.ts).
    ...(process.env.NEWSRAG_CACHE_DIR ? { NEWSRAG_CACHE_DIR: process.env.NEWSRAG_CACHE_DIR } : {}),
    NEWSRAG_COOLDOWN_SECONDS: '0',
    NEWSRAG_FEEDBACK_LOG: path.join(scratch, 'feedback.jsonl'),
  });
  const apology = apologyFor(new Error('any'));
  try {
    const levels = await measureCrowd({
      standin,
      questions: queries,
      levels: p.levels,
      minSamples: p.minSamples,
      warmup: p.warmup,
      eventLoop: bot.eventLoop,
      isFailure: (edit) => JSON.stringify(edit.body ?? '').includes(apology),
    });
    return { levels };
  } finally {
    await bot.stop();
    await standin.stop();
    await rm(scratch, { recursive: true, force: true });
  }
});
