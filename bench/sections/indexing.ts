/**
 * 2. Indexing: articles/s, chunks/s, wall time, peak RSS (each indexing runs in its
 * own process), size on disk and load time of the index, for the seeds and the BBC
 * corpus (with the seeds mixed in), with `standin` and `standin-bge-shape` (the latter
 * on a documented BBC sample, extrapolated to the whole corpus), and — when it is in the
 * model cache — with the real all-MiniLM-L6-v2 q8 on the same BBC + seeds corpus.
 */
import { rm } from 'node:fs/promises';
import { type ChildResult, runChild } from '../lib/child.js';
import { type BenchContext, type BenchModel, type BuiltIndex, REAL_MODEL } from '../lib/context.js';
import { atMost } from '../lib/floors.js';
import { mib, num, spreadCell, table } from '../lib/markdown.js';
import { pullHint, realModelCached } from '../lib/real-model.js';
import { type Spread, spread } from '../lib/stats.js';
import type { IndexParams, IndexResult } from '../workers/index.js';
import type { LoadParams, LoadResult } from '../workers/load.js';
import type { Section } from './section.js';

type Model = BenchModel;
type CorpusKey = 'seeds' | 'mixed' | 'bge-sample';

/** The figures of one corpus × model. */
export interface IndexingRow {
  corpus: string;
  model: Model;
  dtype: 'fp32' | 'q8';
  articles: number;
  chunks: number;
  articlesPerSecond: Spread;
  chunksPerSecond: Spread;
  /** `kb.index()` alone, seconds. */
  indexSeconds: Spread;
  /** The whole child process (start, model load, index, close), seconds. */
  wallSeconds: Spread;
  peakRssMiB: Spread;
  bytesOnDisk: number;
  loadMs: Spread;
  issues: number;
}

async function measure(
  ctx: BenchContext,
  corpus: CorpusKey,
  model: Model,
  runs: number,
  label: string,
  dtype: 'fp32' | 'q8' = 'fp32',
): Promise<IndexingRow> {
  ctx.log(`indexing: ${label} with ${model} ${dtype}, run 1/${runs}`);
  const first: BuiltIndex = await ctx.index(corpus, model, dtype);
  const results: Array<{ r: IndexResult; rss: number; wallMs: number }> = [
    { r: first.result, rss: first.maxRssBytes, wallMs: first.wallMs },
  ];
  for (let i = 1; i < runs; i++) {
    ctx.log(`indexing: ${label} with ${model}, run ${i + 1}/${runs}`);
    const indexDir = ctx.scratch(`index-${corpus}-${model}`);
    const c: ChildResult<IndexResult> = await runChild<IndexParams, IndexResult>(
      'index',
      {
        corpusDir: first.corpusDir,
        indexDir,
        model,
        dtype,
      },
      { env: await ctx.modelEnv(model) },
    );
    results.push({ r: c.result, rss: c.maxRssBytes, wallMs: c.wallMs });
    await rm(indexDir, { recursive: true, force: true });
  }
  const loads: number[] = [];
  for (let i = 0; i < ctx.plan.loadRuns; i++) {
    const l = await runChild<LoadParams, LoadResult>('load', { indexDir: first.indexDir });
    loads.push(l.result.loadMs);
  }
  const articles = first.result.stats.articles;
  const chunks = first.result.stats.chunks;
  const row: IndexingRow = {
    corpus: label,
    model,
    dtype,
    articles,
    chunks,
    articlesPerSecond: spread(results.map((x) => (x.r.summary.added + x.r.summary.updated) / (x.r.indexMs / 1000))),
    chunksPerSecond: spread(results.map((x) => x.r.summary.chunksEmbedded / (x.r.indexMs / 1000))),
    indexSeconds: spread(results.map((x) => x.r.indexMs / 1000)),
    wallSeconds: spread(results.map((x) => x.wallMs / 1000)),
    peakRssMiB: spread(results.map((x) => x.rss / 2 ** 20)),
    bytesOnDisk: first.result.stats.bytesOnDisk,
    loadMs: spread(loads),
    issues: first.result.summary.issues.length,
  };
  // The peers section compares its build times with these.
  void ctx.memo(`indexing:${corpus}-${model}${dtype === 'fp32' ? '' : `-${dtype}`}`, async () => row);
  return row;
}

export const indexingSection: Section = {
  id: 'indexing',
  title: '2. Indexing',
  async run(ctx) {
    const { plan } = ctx;
    const c = await ctx.corpora();
    const bbcLabel = c.bbcArticles >= 2225 ? 'BBC (2,225) + seeds' : `BBC sample (${c.bbcArticles}) + seeds`;
    const bgeLabel = `BBC sample (${c.bgeSampleBbcArticles}) + seeds`;
    const rows: IndexingRow[] = [
      await measure(ctx, 'seeds', 'standin', plan.indexRuns, 'seeds (3)'),
      await measure(ctx, 'mixed', 'standin', plan.indexRuns, bbcLabel),
      await measure(ctx, 'seeds', 'standin-bge-shape', plan.bgeSeedRuns, 'seeds (3)'),
      await measure(ctx, 'bge-sample', 'standin-bge-shape', plan.bgeIndexRuns, bgeLabel),
    ];
    const mixed = rows[1] as IndexingRow;
    const bge = rows[3] as IndexingRow;
    // The real model on the same BBC + seeds corpus (in a quick run the same documented sample).
    const realCached = realModelCached(REAL_MODEL);
    if (realCached) rows.unshift(await measure(ctx, 'mixed', REAL_MODEL, 1, bbcLabel, 'q8'));
    // bge-shape on the whole BBC corpus, from its sample's rate and standin's chunk count
    // (both models use the same tokenizer and chunker, so chunk counts agree).
    const fullBbcChunks = mixed.chunks * (2228 / Math.max(1, mixed.articles));
    const bgeFullMinutes = fullBbcChunks / bge.chunksPerSecond.median / 60;
    const md = [
      'Each indexing runs in a fresh process on a fresh index folder (`kb.index()` of the corpus folder); ' +
        'rates are over `kb.index()` alone, wall time is the whole process (start, model load, index, close); ' +
        "peak RSS is the process's `maxRSS`; load time is the store's `open()` (the default SQLite engine) in a fresh process; " +
        'issues = files the reader reported (e.g. `ARTICLE_DUPLICATE`). Median (min–max) over the runs.',
      '',
      table(
        [
          'corpus',
          'model',
          'dtype',
          'articles',
          'chunks',
          'articles/s',
          'chunks/s',
          'index s',
          'wall s',
          'peak RSS MiB',
          'on disk MiB',
          'load ms',
          'issues',
        ],
        rows.map((r) => [
          r.corpus,
          r.model === REAL_MODEL ? `**${r.model}** (real)` : `${r.model} (stand-in)`,
          r.dtype,
          String(r.articles),
          String(r.chunks),
          spreadCell(r.articlesPerSecond),
          spreadCell(r.chunksPerSecond),
          spreadCell(r.indexSeconds),
          spreadCell(r.wallSeconds),
          spreadCell(r.peakRssMiB, 0),
          mib(r.bytesOnDisk),
          spreadCell(r.loadMs),
          String(r.issues),
        ]),
        ['l', 'l', 'l'],
      ),
      '',
      realCached
        ? `${REAL_MODEL} (real weights, q8) indexed ${plan.quick ? `the quick run's documented sample (${bbcLabel}), not the whole corpus` : bbcLabel} once, in a fresh process.`
        : `${REAL_MODEL} (real weights): **NOT RUN** — not in the model cache; get it with ${pullHint(REAL_MODEL)}.`,
      '',
      `standin-bge-shape was run on a sample of ${c.bgeSampleBbcArticles} BBC articles (plus the seeds): at its median ` +
        `${num(bge.chunksPerSecond.median)} chunks/s the whole BBC corpus (~${Math.round(fullBbcChunks)} chunks, estimated from the standin index) ` +
        `would take ~${num(bgeFullMinutes)} min on this machine (extrapolated, not measured).`,
    ].join('\n');
    const loadNote =
      c.bbcArticles >= 2225
        ? 'whole BBC corpus'
        : `quick run: ${mixed.articles}-article BBC sample, not the whole corpus`;
    const floors = [
      atMost('index load time, BBC + seeds (standin)', mixed.loadMs.median / 1000, 1, 's', {
        decimals: 3,
        note: `median of ${mixed.loadMs.runs} fresh processes, max ${num(mixed.loadMs.max / 1000, 3)} s; ${loadNote}`,
      }),
    ];
    return {
      markdown: md,
      floors,
      data: { rows, bgeFullBbcEstimate: { chunks: fullBbcChunks, minutes: bgeFullMinutes } },
    };
  },
};
