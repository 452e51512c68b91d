/**
 * 7. Scale: the 1M-chunk synthetic index through the real `FolderIndexStore` (the
 * slowest measurement, so it runs last), and the dense scan alone at every size up
 * to 1M on an in-memory reader, whatever the store can write.
 */
import { runChild } from '../lib/child.js';
import { num, pctCell, table } from '../lib/markdown.js';
import { growthExponent } from '../lib/stats.js';
import type { DenseScaleParams, DenseScaleResult } from '../workers/dense-scale.js';
import { type LatencyRow, latencyTable, searchGrowth, sizeLabel, syntheticLatency } from './latency.js';
import type { Section } from './section.js';

export const scaleSection: Section = {
  id: 'scale',
  title: '7. Scale to 1M chunks',
  async run(ctx) {
    const { plan } = ctx;
    const real = await ctx.index('mixed', 'standin');
    const rows: LatencyRow[] = [];
    for (const size of plan.scaleSizes) rows.push(await syntheticLatency(ctx, real.indexDir, size));
    const sizes = plan.denseSizes;
    ctx.log(`scale: dense scan alone at ${sizes.join(', ')} chunks (in-memory reader)`);
    let dense: DenseScaleResult | { error: string };
    try {
      dense = (
        await runChild<DenseScaleParams, DenseScaleResult>(
          'dense-scale',
          {
            sourceIndexDir: real.indexDir,
            sizes,
            queriesFile: await ctx.queriesFile(),
            queries: plan.quick ? 30 : 100,
          },
          { nodeFlags: ['--max-old-space-size=12288'], timeoutMs: 15 * 60_000 },
        )
      ).result;
    } catch (error) {
      dense = { error: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
    }
    const earlier = await ctx.memo<LatencyRow[]>('latency-rows', async () => []);
    const all = [...earlier.filter((r) => r.synthetic), ...rows];
    const md = [
      plan.scaleSizes.length > 0
        ? `Warm \`kb.answer()\` as in section 3 on a synthetic index of ${plan.scaleSizes.map(sizeLabel).join(', ')} chunks written through \`FolderIndexStore.write\`:\n\n${latencyTable(rows)}\n\n` +
          `Search time over every synthetic index measured (${all
            .filter((r) => r.latency)
            .map((r) => sizeLabel(r.chunks))
            .join(
              ', ',
            )}${rows.some((r) => r.error) ? '; failed sizes excluded' : ''}) grows as chunks^${num(searchGrowth(all), 2)}.`
        : '**Quick run: no 1M-chunk index.**',
      '',
      'The dense part alone, up to the largest size whatever the store can write: the same synthetic rows built in memory and wrapped in a ' +
        "`FolderIndexReader` (BM25 empty), `denseSearch(query, 50)` (50 = search's default candidates) for real `standin` query vectors, p50 / p95 / p99 ms:",
      '',
      'error' in dense
        ? `**failed**: ${dense.error}`
        : [
            table(
              ['chunks', 'dense top-50 ms', 'p50 ms per 100k chunks'],
              dense.sizes.map((x) => [String(x.chunks), pctCell(x.dense), num((x.dense.p50 / x.chunks) * 100_000, 2)]),
            ),
            '',
            `Dense scan grows as chunks^${num(growthExponent(dense.sizes.map((x) => ({ x: x.chunks, y: x.dense.p50 }))), 2)}.`,
          ].join('\n'),
    ].join('\n');
    return { markdown: md, floors: [], data: { rows, denseScale: dense } };
  },
};
