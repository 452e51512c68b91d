/**
 * 6b. The bot under a crowd: from an `/ask` interaction sent by the faithful local Discord
 * stand-in (Discord's rate limits and interaction deadlines enforced) to the bot's edit of
 * its deferred reply, at 1, 10, 50 and 200 concurrent asks, with the real bot in its own
 * process and a real knowledge base (BBC + seeds).
 */
import { crowdTable } from '../bot/crowd.js';
import { runChild } from '../lib/child.js';
import type { BenchModel } from '../lib/context.js';
import { pullHint, realModelCached } from '../lib/real-model.js';
import type { BotParams, BotResult } from '../workers/bot.js';
import type { Section } from './section.js';

export const botSection: Section = {
  id: 'bot',
  title: '6b. Discord bot under a crowd',
  async run(ctx) {
    const { plan } = ctx;
    // The real model's query embedding is part of every answer; the stand-in only when it is not cached.
    const real = plan.botModel !== 'standin' && plan.botModel !== 'standin-bge-shape';
    const model: BenchModel = real && !realModelCached(plan.botModel) ? 'standin' : plan.botModel;
    const dtype = real && model === plan.botModel ? 'q8' : 'fp32';
    const index = await ctx.index('mixed', model, dtype);
    const c = await ctx.corpora();
    ctx.log(`bot: /ask at concurrency ${plan.botLevels.join(', ')} (${model} ${dtype})`);
    const r = await runChild<BotParams, BotResult>(
      'bot',
      {
        indexDir: index.indexDir,
        articlesDir: c.mixedDir,
        queriesFile: await ctx.queriesFile(),
        model,
        dtype,
        levels: plan.botLevels,
        minSamples: plan.botMinSamples,
        warmup: 5,
      },
      { env: await ctx.modelEnv(model) },
    );
    const fallback =
      model === plan.botModel
        ? ''
        : ` (${plan.botModel} is not in the model cache: ${pullHint(plan.botModel)}; the stand-in instead)`;
    const md = [
      "Interaction dispatched on the stand-in's gateway → the bot's `PATCH …/messages/@original` arriving at the stand-in " +
        `(127.0.0.1, real discord.js client, \`createBot\` in its own process, model \`${model}\` ${dtype}${fallback}, cooldown off, ` +
        'a distinct user per ask). The stand-in enforces per-route buckets, the global 50 requests/s, the 3-second ' +
        `acknowledgement and the token lifetime. Waves of N simultaneous asks, at least ${plan.botMinSamples} asks per level; ` +
        '"max ack" is the slowest initial response, the event-loop delay is the bot process\'s during the worst wave.',
      '',
      crowdTable(r.result.levels),
    ].join('\n');
    return { markdown: md, floors: [], data: r.result };
  },
};
