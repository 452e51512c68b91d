/**
 * 6b. The bot under a crowd: from an `/ask` interaction sent by the faithful local Discord
 * stand-in (Discord's rate limits and interaction deadlines enforced) to the bot's edit of
 * its deferred reply, at 1, 10, 50 and 200 concurrent asks, with the real bot in its own
 * process and a real knowledge base (BBC + seeds).
 */
import { crowdTable } from '../../tests/discord/bench/crowd.js';
import { runChild } from '../lib/child.js';
import type { BotParams, BotResult } from '../workers/bot.js';
import type { Section } from './section.js';

export const botSection: Section = {
  id: 'bot',
  title: '6b. Discord bot under a crowd',
  async run(ctx) {
    const { plan } = ctx;
    const index = await ctx.index('mixed', plan.botModel);
    const c = await ctx.corpora();
    ctx.log(`bot: /ask at concurrency ${plan.botLevels.join(', ')}`);
    const r = await runChild<BotParams, BotResult>('bot', {
      indexDir: index.indexDir,
      articlesDir: c.mixedDir,
      queriesFile: await ctx.queriesFile(),
      model: plan.botModel,
      levels: plan.botLevels,
      minSamples: plan.botMinSamples,
      warmup: 5,
    });
    const md = [
      "Interaction dispatched on the stand-in's gateway → the bot's `PATCH …/messages/@original` arriving at the stand-in " +
        `(127.0.0.1, real discord.js client, \`createBot\` in its own process, model \`${plan.botModel}\`, cooldown off, ` +
        'a distinct user per ask). The stand-in enforces per-route buckets, the global 50 requests/s, the 3-second ' +
        `acknowledgement and the token lifetime. Waves of N simultaneous asks, at least ${plan.botMinSamples} asks per level; ` +
        '"max ack" is the slowest initial response, the event-loop delay is the bot process\'s during the worst wave.',
      '',
      crowdTable(r.result.levels),
    ].join('\n');
    return { markdown: md, floors: [], data: r.result };
  },
};
