/**
 * Load benchmark of the bot: waves of N simultaneous `/ask` through the real discord.js
 * client against the faithful local Discord stand-in (Discord's rate limits and
 * interaction deadlines enforced), with the real knowledge base.
 *
 *   npm run bench -w @newsrag/discord-bot -- [levels=1,10,50,200] [--model standin] [--dtype fp32|q8]
 *       [--model-dir DIR] [--articles DIR] [--min-samples 50] [--warmup 10] [--in-process] [--json]
 *       [--questions FILE.jsonl,...] [--cold]
 *
 * `--dtype` is the weights the index is built and the bot runs with: `fp32` by default, as the
 * bot's own default (`NEWSRAG_DTYPE`); q8 costs about half the CPU per query.
 *
 * The bot runs in a child process (`bot-process.ts`), as in production; `--in-process`
 * runs it in the benchmark's own process beside the stand-in instead.
 *
 * By default eight questions go round (a crowd asking the same few things, which the bot's
 * caches serve); `--questions` takes them from question files (JSON lines with a `question`)
 * instead and asks every text once only, warm-up included, so no query vector is ever reused
 * (see `distinctQuestions`).
 *
 * Prints, per level: p50/p95/p99/max from dispatch to edited reply, the slowest
 * acknowledgement, REST requests per answer, 429s, refusals, limit violations, failures
 * and the event-loop delay during the bursts; then checks the floors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openKnowledgeBase } from '@newsrag/core';
import { createBot, createLogger, parseConfig } from '@newsrag/discord-bot';
import { apologyFor } from '@newsrag/discord-bot/internals';
import { DiscordStandin } from '@newsrag/test-support/discord';
import { crowdTable, type EventLoopProbe, measureCrowd } from './crowd.js';
import { distinctQuestions } from './questions.js';
import { startBotProcess } from './start-bot-process.js';

const QUESTIONS = [
  'How many hours did Putin and Kim spend together during the visit?',
  'What animal did Kim Jong Un feed carrots to?',
  'What did Putin and Kim sign?',
  'Where did Kim and Putin meet in Russia?',
  'Who won the football match between Brazil and Argentina?',
  'What dog breed did Kim give Putin?',
  'Which social network was the goodbye video shared on?',
  'How many portraits of Putin were hung around Pyongyang?',
];

const TOKEN = 'MTE5OTk5.bench-standin-token.not-a-secret';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string', default: 'standin' },
      dtype: { type: 'string', default: 'fp32' },
      'model-dir': { type: 'string' },
      articles: { type: 'string', default: join(import.meta.dirname, '../../data/articles') },
      'min-samples': { type: 'string', default: '50' },
      warmup: { type: 'string', default: '10' },
      'in-process': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      questions: { type: 'string' },
      cold: { type: 'boolean', default: false },
    },
  });
  const dtype = values.dtype;
  if (dtype !== 'fp32' && dtype !== 'q8') throw new Error(`--dtype must be fp32 or q8 (got "${dtype}")`);
  const levels = (positionals[0] ?? '1,10,50,200').split(',').map(Number);
  if (levels.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`levels must be positive integers separated by commas, e.g. 1,10,50,200 (got "${positionals[0]}")`);
  const minSamples = Number(values['min-samples']);
  const warmup = Number(values.warmup);
  const asks = warmup + levels.reduce((sum, n) => sum + n * Math.max(1, Math.ceil(minSamples / n)), 0);
  const questionFiles = values.questions?.split(',').map((f) => resolve(f));
  const questions = questionFiles ? distinctQuestions(questionFiles, asks) : QUESTIONS;
  const root = mkdtempSync(join(tmpdir(), 'newsrag-bot-bench-'));
  const indexDir = join(root, 'index');
  const kb = await openKnowledgeBase({ indexDir, model: values.model, dtype, modelDir: values['model-dir'] });
  await kb.index([resolve(values.articles)]);
  const articles = kb.articles().length;
  const standin = await DiscordStandin.start();
  const env = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: standin.apiUrl,
    NEWSRAG_INDEX_DIR: indexDir,
    NEWSRAG_MODEL: values.model,
    NEWSRAG_DTYPE: dtype,
    NEWSRAG_COOLDOWN_SECONDS: '0',
    // --cold: no sentence warm-up, so new questions embed their passages' sentences while asked.
    ...(values.cold ? { NEWSRAG_WARM_SENTENCES: '0' } : {}),
    NEWSRAG_FEEDBACK_LOG: join(root, 'feedback.jsonl'),
    ...(values['model-dir'] ? { NEWSRAG_MODEL_DIR: values['model-dir'] } : {}),
  };
  // By default the bot runs in its own process, as in production: Discord does not share its event loop.
  let stopBot: () => Promise<void>;
  let eventLoop: EventLoopProbe | undefined;
  if (values['in-process']) {
    await kb.embedder.embedQuery('warm up');
    const bot = createBot(parseConfig(env), kb, { logger: createLogger({ secrets: [TOKEN], sink: () => undefined }) });
    await bot.start();
    stopBot = () => bot.stop();
  } else {
    await kb.close();
    const bot = await startBotProcess(env);
    stopBot = () => bot.stop();
    eventLoop = bot.eventLoop;
  }
  const apology = apologyFor(new Error('any'));
  try {
    const result = await measureCrowd({
      standin,
      questions,
      levels,
      minSamples,
      warmup,
      eventLoop,
      isFailure: (edit) => JSON.stringify(edit.body ?? '').includes(apology),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const topology = values['in-process'] ? 'bot and stand-in in one process' : 'bot in its own process';
    const warmth = values.cold ? ', sentence cache cold' : ', sentence cache warmed';
    const asked0 = questionFiles
      ? `${questions.length} distinct questions, each asked once`
      : `${questions.length} questions asked in turn`;
    const asked = asked0 + warmth;
    if (values.json) {
      console.log(JSON.stringify({ model: values.model, dtype, articles, topology, asked, levels: result }));
      return;
    }
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    console.log(
      `model ${values.model} ${dtype}, ${articles} articles, ${asked}, ${topology}, ${availableParallelism()} cores, load average ${load}, ${new Date().toISOString()}\n`,
    );
    console.log(crowdTable(result));
    const at50 = result.find((l) => l.concurrency === 50);
    const at200 = result.find((l) => l.concurrency === 200);
    const floor = (name: string, ok: boolean | undefined) =>
      console.log(`${ok === undefined ? 'NOT RUN' : ok ? 'PASS' : 'FAIL'}  ${name}`);
    console.log('');
    floor('p95 ≤ 250 ms at 50 concurrent', at50 && at50.latency.p95 <= 250);
    floor('every interaction acknowledged within 3 s at 200', at200 && at200.failures === 0 && at200.ack.max < 3000);
    floor(
      'no 429',
      result.every((l) => l.tooManyRequests === 0),
    );
    floor(
      'no refusal, violation or failure',
      result.every((l) => l.refusals + l.violations + l.failures === 0),
    );
  } finally {
    await stopBot();
    await standin.stop();
    if (values['in-process']) await kb.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
