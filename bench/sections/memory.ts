/**
 * RSS growth over many sequential `answer()` calls on the BBC index (a leak check):
 * RSS after a warm-up and a full GC, then after the calls and a full GC.
 */
import { runChild } from '../lib/child.js';
import { atMost } from '../lib/floors.js';
import { mib, num, table } from '../lib/markdown.js';
import type { MemoryParams, MemoryResult } from '../workers/memory.js';
import type { Section } from './section.js';

export const memorySection: Section = {
  id: 'memory',
  title: '6a. Memory over sequential answers',
  async run(ctx) {
    const { plan } = ctx;
    const index = await ctx.index('mixed', 'standin');
    ctx.log(`memory: ${plan.memoryCalls} sequential answer() calls`);
    const r = await runChild<MemoryParams, MemoryResult>(
      'memory',
      {
        indexDir: index.indexDir,
        model: 'standin',
        queriesFile: await ctx.queriesFile(),
        calls: plan.memoryCalls,
        warmup: plan.memoryWarmup,
      },
      { nodeFlags: ['--expose-gc'] },
    );
    const m = r.result;
    // Against the lowest reading, not just the first: RSS often falls after the warm-up as
    // start-up garbage is returned, which would hide a leak of the same size. In MB (10^6
    // bytes), the stricter reading of "50 MB".
    const baseline = Math.min(m.rssStart, ...m.trace.map((t) => t.rss));
    const growthMB = (m.rssEnd - baseline) / 1e6;
    const md = [
      `${m.calls} sequential \`kb.answer()\` calls (standin, BBC + seeds index) after ${plan.memoryWarmup} warm-up calls, in ${num(m.seconds)} s; ` +
        'RSS read after a forced full GC (`--expose-gc`) before and after; growth = end − the lowest reading (start or trace).' +
        (m.calls < 10_000 ? ` **Quick run: ${m.calls} calls instead of 10,000.**` : ''),
      '',
      table(
        ['RSS start MiB', 'RSS end MiB', 'growth MB', 'heap start MiB', 'heap end MiB', 'RSS trace (MiB every 10%)'],
        [
          [
            mib(m.rssStart),
            mib(m.rssEnd),
            num(growthMB),
            mib(m.heapStart),
            mib(m.heapEnd),
            m.trace.map((t) => mib(t.rss)).join(' '),
          ],
        ],
      ),
    ].join('\n');
    const floors = [
      atMost(`RSS growth over ${m.calls} sequential answer() calls`, growthMB, 50, 'MB', {
        strict: true,
        ...(m.calls < 10_000 ? { note: `quick run: ${m.calls} calls, not 10,000` } : {}),
      }),
    ];
    return { markdown: md, floors, data: m };
  },
};
