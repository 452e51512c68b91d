/**
 * 6. Bot latency: from an `/ask` interaction sent by the local Discord stand-in to the
 * bot's edit of its deferred reply, at 1, 10 and 50 concurrent asks, with the real
 * bot and a real knowledge base (BBC + seeds, standin).
 */
import { runChild } from '../lib/child.js';
import { num, table } from '../lib/markdown.js';
import type { BotParams, BotResult } from '../workers/bot.js';
import type { Section } from './section.js';

export const botSection: Section = {
  id: 'bot',
  title: '6b. Discord bot latency',
  async run(ctx) {
    const { plan } = ctx;
    const index = await ctx.index('mixed', 'standin');
    const c = await ctx.corpora();
    ctx.log(`bot: /ask at concurrency ${plan.botLevels.join(', ')}`);
    const r = await runChild<BotParams, BotResult>('bot', {
      indexDir: index.indexDir,
      articlesDir: c.mixedDir,
      queriesFile: await ctx.queriesFile(),
      levels: plan.botLevels,
      minSamples: plan.botMinSamples,
      warmup: 5,
    });
    const md = [
      "Interaction dispatched on the stand-in's gateway → the bot's `PATCH …/messages/@original` arriving at the stand-in " +
        '(127.0.0.1, real discord.js client, `createBot`, cooldown off, a distinct user per ask). ' +
        `Waves of N simultaneous asks, at least ${plan.botMinSamples} asks per level.`,
      '',
      table(
        ['concurrent asks', 'asks', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'failed'],
        r.result.levels.map((l) => [
          String(l.concurrency),
          String(l.latency.n),
          num(l.latency.p50),
          num(l.latency.p95),
          num(l.latency.p99),
          num(l.latency.max),
          String(l.failures),
        ]),
      ),
      '',
      `Discord limit violations recorded by the stand-in: ${r.result.violations}.`,
    ].join('\n');
    return { markdown: md, floors: [], data: r.result };
  },
};
