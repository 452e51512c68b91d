/**
 * Load benchmark: N concurrent `/ask` interactions through the real discord.js client
 * against the local Discord stand-in, with the real knowledge base (stand-in model).
 * Prints latency percentiles (interaction dispatched → answer edit received) and throughput.
 *
 *   npm run bench -w @newsrag/discord-bot -- [concurrent=200] [articlesDir=data/articles]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openKnowledgeBase } from '@newsrag/core';
import { createBot, createLogger, parseConfig } from '@newsrag/discord-bot';
import { DiscordStandin, snowflake } from '../standin.js';

const QUESTIONS = [
  'How many hours did Putin and Kim spend together during the visit?',
  'What animal did Kim Jong Un feed carrots to?',
  'What did Putin and Kim sign?',
  'Where did Kim and Putin meet in Russia?',
  'Who won the football match between Brazil and Argentina?',
];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 200);
  const articles = resolve(process.argv[3] ?? join(import.meta.dirname, '../../../data/articles'));
  const root = mkdtempSync(join(tmpdir(), 'newsrag-bot-bench-'));
  const kb = await openKnowledgeBase({ indexDir: join(root, 'index'), model: 'standin' });
  await kb.index([articles]);
  const standin = await DiscordStandin.start();
  const config = parseConfig({
    DISCORD_TOKEN: 'bench-token',
    DISCORD_API_URL: standin.apiUrl,
    NEWSRAG_INDEX_DIR: join(root, 'index'),
  });
  const bot = createBot(config, kb, { logger: createLogger({ secrets: ['bench-token'], sink: () => undefined }) });
  await bot.start();
  try {
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const sent = Array.from({ length: n }, (_, i) =>
      standin.sendCommand({
        name: 'ask',
        user: { id: snowflake(), username: `u${i}` },
        options: [{ name: 'question', type: 3, value: QUESTIONS[i % QUESTIONS.length] ?? '' }],
      }),
    );
    const edits = await Promise.all(
      sent.map((s) => standin.waitFor((c) => c.method === 'PATCH' && c.path.includes(s.token), 300_000)),
    );
    const wall = performance.now() - started;
    const latencies = edits.map((e, i) => e.receivedAt - (sent[i]?.sentAt ?? 0)).sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        concurrent: n,
        p50Ms: Math.round(pct(latencies, 50)),
        p95Ms: Math.round(pct(latencies, 95)),
        p99Ms: Math.round(pct(latencies, 99)),
        maxMs: Math.round(latencies.at(-1) ?? 0),
        answersPerSecond: Number((n / (wall / 1000)).toFixed(1)),
        restCalls: standin.calls.length,
        limitViolations: standin.violations.length,
        rssDeltaMiB: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
      }),
    );
  } finally {
    await bot.stop();
    await standin.stop();
    await kb.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
