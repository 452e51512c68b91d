/**
 * Embedding throughput: our transformers.js path against the ceiling of running the
 * very same token batches straight through onnxruntime-node.
 *
 *   npm run bench -w @newsrag/embed -- [--json] [--model standin-bge-shape] [--threads N] [--reps 3]
 *
 * For each dtype and batch size it embeds every sentence of the seed articles with
 * `embedDocuments` (tokenise, sort by length, batch, run, pool, normalise) and times
 * `InferenceSession.run` alone on the identical padded batches (same order, same
 * padding, same intra-op threads). Overhead = (ceiling - ours) / ceiling in texts/s, from
 * the fastest of `--reps` alternating runs of each (other processes only ever add time); the
 * same ratio from process CPU time is printed beside it. The floor is overhead <= 15% at batch 32.
 */
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { planBatches, toBatchTensors } from '../src/batch.js';
import { createEmbedder } from '../src/create.js';
import { onnxFileName } from '../src/hub.js';
import { findPreset, standinDir } from '../src/presets.js';
import { seedSentences } from '../src/test-support/seed-sentences.js';
import { TransformersEmbedder } from '../src/transformers-embedder.js';
import type { EmbedDtype } from '../src/types.js';

const BATCH_SIZES = [1, 8, 32, 64] as const;
const DTYPES: readonly EmbedDtype[] = ['fp32', 'q8'];
const FLOOR = { batchSize: 32, maxOverhead: 0.15 };

interface Row {
  dtype: EmbedDtype;
  batchSize: number;
  texts: number;
  tokens: number;
  paddedTokens: number;
  ours: { seconds: number; cpuSeconds: number; textsPerSecond: number; tokensPerSecond: number };
  ceiling: { seconds: number; cpuSeconds: number; textsPerSecond: number; tokensPerSecond: number };
  /** (ceiling − ours) / ceiling in texts/s, from the fastest wall-clock run of each. */
  overhead: number;
  /** The same from CPU time (all threads): less sensitive to other processes on the machine. */
  cpuOverhead: number;
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall-clock and process CPU seconds (every thread, ONNX Runtime's included) of one run. */
async function timed(run: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
}

/** The least disturbed run: on a shared machine noise only ever adds time. */
function best(timings: Timing[]): Timing {
  return { wall: Math.min(...timings.map((t) => t.wall)), cpu: Math.min(...timings.map((t) => t.cpu)) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      model: { type: 'string', default: 'standin-bge-shape' },
      threads: { type: 'string' },
      reps: { type: 'string', default: '3' },
    },
  });
  const preset = findPreset(values.model);
  if (preset?.standinFolder === undefined)
    throw new Error(`--model must be a stand-in preset (standin, standin-bge-shape), got "${values.model}"`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got "${values.reps}"`);
  const dir = standinDir(preset.standinFolder);
  const sentences = seedSentences();
  const log = (line: string) => {
    if (!values.json) console.log(line);
  };

  const rows: Row[] = [];
  let usedThreads = 0;
  for (const dtype of DTYPES) {
    const embedder = await createEmbedder({
      model: values.model,
      dtype,
      showProgress: false,
      ...(threads ? { threads } : {}),
    });
    if (!(embedder instanceof TransformersEmbedder)) throw new Error('expected the transformers.js embedder');
    usedThreads = threads ?? (await import('node:os')).availableParallelism();
    const session = await ort.InferenceSession.create(`${dir}/${onnxFileName(dtype)}`, {
      intraOpNumThreads: usedThreads,
      interOpNumThreads: 1,
      logSeverityLevel: 3,
    });
    const ids = sentences.map((s) => embedder.tokenise(s));
    const tokens = ids.reduce((n, r) => n + r.length, 0);
    try {
      for (const batchSize of BATCH_SIZES) {
        const batches = planBatches(ids, batchSize);
        const feeds = batches.map((b) => {
          const t = toBatchTensors(b, 0);
          const all: Record<string, ort.Tensor> = {
            input_ids: new ort.Tensor('int64', t.inputIds, t.dims),
            attention_mask: new ort.Tensor('int64', t.attentionMask, t.dims),
            token_type_ids: new ort.Tensor('int64', t.tokenTypeIds, t.dims),
          };
          return Object.fromEntries(session.inputNames.map((n) => [n, all[n] as ort.Tensor]));
        });
        const paddedTokens = batches.reduce((n, b) => n + b.seqLen * b.ids.length, 0);
        const ceiling = async () => {
          for (const feed of feeds) {
            const out = await session.run(feed);
            for (const t of Object.values(out)) t.dispose();
          }
        };
        const ours = () => embedder.embedDocuments(sentences, { batchSize });
        // Warm-up once each, then alternate so background load hits both sides alike.
        await ceiling();
        await ours();
        const oursTimes: Timing[] = [];
        const ceilingTimes: Timing[] = [];
        for (let r = 0; r < reps; r++) {
          ceilingTimes.push(await timed(ceiling));
          oursTimes.push(await timed(ours));
        }
        const ob = best(oursTimes);
        const cb = best(ceilingTimes);
        const o = ob.wall;
        const c = cb.wall;
        const row: Row = {
          dtype,
          batchSize,
          texts: sentences.length,
          tokens,
          paddedTokens,
          ours: { seconds: o, cpuSeconds: ob.cpu, textsPerSecond: sentences.length / o, tokensPerSecond: tokens / o },
          ceiling: {
            seconds: c,
            cpuSeconds: cb.cpu,
            textsPerSecond: sentences.length / c,
            tokensPerSecond: tokens / c,
          },
          overhead: 1 - c / o,
          cpuOverhead: 1 - cb.cpu / ob.cpu,
        };
        rows.push(row);
        log(
          `  ${dtype} batch ${batchSize}: ours ${row.ours.textsPerSecond.toFixed(1)} texts/s, ceiling ${row.ceiling.textsPerSecond.toFixed(1)} texts/s`,
        );
      }
    } finally {
      await session.release();
      await embedder.dispose();
    }
  }

  const floorRows = rows.filter((r) => r.batchSize === FLOOR.batchSize);
  const floorMet = floorRows.every((r) => r.overhead <= FLOOR.maxOverhead);
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          model: values.model,
          threads: usedThreads,
          reps,
          texts: sentences.length,
          floor: { ...FLOOR, met: floorMet },
          rows,
        },
        null,
        2,
      ),
    );
    return;
  }
  const f = (n: number) => n.toFixed(1);
  console.log(
    `\n${values.model}, ${sentences.length} seed sentences, ${usedThreads} intra-op threads, best of ${reps} runs each\n`,
  );
  console.log(
    '| dtype | batch | ours texts/s | ours tokens/s | ceiling texts/s | ceiling tokens/s | overhead | overhead (CPU time) | padding |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const padding = (r.paddedTokens - r.tokens) / r.paddedTokens;
    console.log(
      `| ${r.dtype} | ${r.batchSize} | ${f(r.ours.textsPerSecond)} | ${f(r.ours.tokensPerSecond)} | ${f(r.ceiling.textsPerSecond)} | ${f(r.ceiling.tokensPerSecond)} | ${(r.overhead * 100).toFixed(1)}% | ${(r.cpuOverhead * 100).toFixed(1)}% | ${(padding * 100).toFixed(1)}% |`,
    );
  }
  console.log(
    `\nFloor (overhead <= ${FLOOR.maxOverhead * 100}% at batch ${FLOOR.batchSize}): ${floorMet ? 'met' : 'MISSED'} ` +
      `(${floorRows.map((r) => `${r.dtype} ${(r.overhead * 100).toFixed(1)}%`).join(', ')})`,
  );
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
