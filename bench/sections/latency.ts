/**
 * 3. Warm query latency of `kb.answer()` (standin): question embedding, search and
 * answer assembly separately and in total, p50/p95/p99 over hundreds of queries, on
 * the real BBC index and on synthetic indexes of 2k, 25k and 100k chunks written
 * through the real `FolderIndexStore` (see `lib/synthetic.ts`); and, when it is cached, with
 * the real all-MiniLM-L6-v2 (q8) on its own BBC + seeds index, the real query embedding
 * included. The 1M-chunk index
 * and the dense-scan scaling come last, in `scale.ts`, as they take the longest.
 */
import { rm } from 'node:fs/promises';
import { runChild } from '../lib/child.js';
import { type BenchContext, type BenchModel, REAL_MODEL } from '../lib/context.js';
import { atMost } from '../lib/floors.js';
import { mib, num, pctCell, table } from '../lib/markdown.js';
import { pullHint, realModelCached } from '../lib/real-model.js';
import { growthExponent } from '../lib/stats.js';
import type { LatencyParams, LatencyResult } from '../workers/latency.js';
import type { SynthParams, SynthResult } from '../workers/synth.js';
import type { Section } from './section.js';

/** One index's latency figures (or why it could not be measured). */
export interface LatencyRow {
  label: string;
  chunks: number;
  synthetic: boolean;
  build?: SynthResult;
  latency?: LatencyResult;
  peakRssMiB?: number;
  error?: string;
}

async function latencyOf(
  ctx: BenchContext,
  indexDir: string,
  nodeFlags: string[] = [],
  model: { model: BenchModel; dtype: 'fp32' | 'q8' } = { model: 'standin', dtype: 'fp32' },
): Promise<{ latency: LatencyResult; rss: number }> {
  const r = await runChild<LatencyParams, LatencyResult>(
    'latency',
    {
      indexDir,
      ...model,
      queriesFile: await ctx.queriesFile(),
      queries: ctx.plan.latencyQueries,
      warmup: ctx.plan.latencyWarmup,
    },
    { nodeFlags, env: await ctx.modelEnv(model.model) },
  );
  return { latency: r.result, rss: r.maxRssBytes };
}

/** `2000` → `2k`, `1000000` → `1M`. */
export function sizeLabel(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n);
}

/**
 * Writes an N-chunk synthetic index through `FolderIndexStore` (from the real BBC
 * index) and measures warm `answer()` latency on it; a failure is returned as a row.
 */
export async function syntheticLatency(ctx: BenchContext, sourceIndexDir: string, size: number): Promise<LatencyRow> {
  const targetDir = ctx.scratch(`synthetic-${size}`);
  const label = `synthetic ${sizeLabel(size)}`;
  try {
    ctx.log(`latency: writing a ${size}-chunk synthetic index through FolderIndexStore`);
    const b = await runChild<SynthParams, SynthResult>(
      'synth',
      { sourceIndexDir, targetDir, chunks: size, seed: size },
      { nodeFlags: ['--max-old-space-size=12288'], timeoutMs: 12 * 60_000 },
    );
    ctx.log(`latency: ${size} chunks, ${ctx.plan.latencyQueries} queries`);
    // A large index needs more than Node's default heap to load.
    const l = await latencyOf(ctx, targetDir, size > 200_000 ? ['--max-old-space-size=12288'] : []);
    return { label, chunks: size, synthetic: true, build: b.result, latency: l.latency, peakRssMiB: l.rss / 2 ** 20 };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
    ctx.log(`latency: ${label} failed: ${message}`);
    return { label, chunks: size, synthetic: true, error: message };
  } finally {
    await rm(targetDir, { recursive: true, force: true });
  }
}

/** The latency table. */
export function latencyTable(rows: readonly LatencyRow[]): string {
  return table(
    ['index', 'chunks', 'embed', 'search', 'answer', 'total', 'wall', 'write s', 'on disk MiB', 'RSS MiB'],
    rows.map((r) =>
      r.latency
        ? [
            r.label,
            String(r.chunks),
            pctCell(r.latency.embed),
            pctCell(r.latency.search),
            pctCell(r.latency.answer),
            pctCell(r.latency.total),
            pctCell(r.latency.wall),
            r.build ? num(r.build.writeMs / 1000) : '–',
            r.build ? mib(r.build.bytesOnDisk) : '–',
            num(r.peakRssMiB, 0),
          ]
        : [r.label, String(r.chunks), `**failed**: ${r.error ?? ''}`, '', '', '', '', '', '', ''],
    ),
  );
}

/** Slope of log p50 search time against log chunks over the measured synthetic rows. */
export function searchGrowth(rows: readonly LatencyRow[]): number {
  return growthExponent(
    rows
      .filter((r) => r.synthetic && r.latency)
      .map((r) => ({ x: r.chunks, y: (r.latency as LatencyResult).search.p50 })),
  );
}

export const latencySection: Section = {
  id: 'latency',
  title: '3. Query latency',
  async run(ctx) {
    const { plan } = ctx;
    const real = await ctx.index('mixed', 'standin');
    ctx.log('latency: real BBC + seeds index');
    const r0 = await latencyOf(ctx, real.indexDir);
    const rows: LatencyRow[] = [];
    // The real model first: its own index of the same corpus, its query embedding in every answer().
    const realCached = realModelCached(REAL_MODEL);
    if (realCached) {
      const idx = await ctx.index('mixed', REAL_MODEL, 'q8');
      ctx.log(`latency: BBC + seeds index, ${REAL_MODEL} q8`);
      const r = await latencyOf(ctx, idx.indexDir, [], { model: REAL_MODEL, dtype: 'q8' });
      rows.push({
        label: `BBC + seeds, **${REAL_MODEL} q8** (real model)`,
        chunks: r.latency.chunks,
        synthetic: false,
        latency: r.latency,
        peakRssMiB: r.rss / 2 ** 20,
      });
    }
    rows.push({
      label: 'BBC + seeds (real index, standin)',
      chunks: r0.latency.chunks,
      synthetic: false,
      latency: r0.latency,
      peakRssMiB: r0.rss / 2 ** 20,
    });
    for (const size of plan.latencySizes) rows.push(await syntheticLatency(ctx, real.indexDir, size));
    void ctx.memo('latency-rows', async () => rows);
    const exponent = searchGrowth(rows);
    const realNote = realCached
      ? `The ${REAL_MODEL} row is the real model (q8) on its own index of the same corpus${plan.quick ? " (the quick run's BBC sample)" : ''}: ` +
        'its "embed" stage is the real query embedding. Every other row uses the stand-in `standin`.'
      : `${REAL_MODEL} (real weights): **NOT RUN** — not in the model cache; get it with ${pullHint(REAL_MODEL)}. All rows use the stand-in \`standin\`.`;
    const md = [
      `Warm \`kb.answer()\` (hybrid, k = 5), ${plan.latencyQueries} timed queries after ${plan.latencyWarmup} untimed ones, ` +
        "cycling through the eval questions and BBC headlines; each index in a fresh process. Stages are the answer's own `timings`; " +
        '"wall" is the whole call timed by the caller. Cells are p50 / p95 / p99 in ms. Synthetic indexes: real BBC sentences at the real ' +
        'chunk-length distribution, vectors = real chunk vectors mixed (0.8/0.2) plus noise, written with `FolderIndexStore.write`.' +
        (plan.quick ? ` **Quick run: ${plan.latencyQueries} queries (not 500) and no 100k/1M indexes.**` : ''),
      '',
      realNote,
      '',
      latencyTable(rows),
      '',
      `Search time grows as chunks^${num(exponent, 2)} (least-squares slope of log p50 search time against log chunks over ` +
        `the synthetic indexes of ${plan.latencySizes.map(sizeLabel).join(', ')}; 1 = linear). 1M: see the last section.`,
    ].join('\n');
    const at = (n: number) => rows.find((r) => r.synthetic && r.chunks === n)?.latency?.wall.p95;
    const floors = [
      atMost('warm query p95 at 25k chunks (standin, all stages)', at(25_000), 30, 'ms', { decimals: 2 }),
      atMost('warm query p95 at 100k chunks (standin, all stages)', at(100_000), 100, 'ms', {
        decimals: 2,
        ...(plan.latencySizes.includes(100_000) ? {} : { note: 'quick run: 100k not built' }),
      }),
    ];
    return { markdown: md, floors, data: { rows, searchGrowthExponent: exponent } };
  },
};
