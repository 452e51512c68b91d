/**
 * 1. Embedding throughput: runs the embed package's own benchmark
 * (`npm run bench -w @newsrag/embed -- --json --reps 1`) several times, each a fresh
 * process, and reports the median, min and max of its texts/s, tokens/s and overhead
 * against the raw onnxruntime-node ceiling.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { atMost } from '../lib/floors.js';
import { num, spreadCell, table } from '../lib/markdown.js';
import { repoRoot } from '../lib/paths.js';
import { spread } from '../lib/stats.js';
import type { Section } from './section.js';

const run = promisify(execFile);

/** The JSON the embed package's bench prints with `--json` (the fields used here). */
interface EmbedBenchJson {
  model: string;
  threads: number;
  texts: number;
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

export const embeddingSection: Section = {
  id: 'embedding',
  title: '1. Embedding throughput',
  async run(ctx) {
    const { plan } = ctx;
    const runs: EmbedBenchJson[] = [];
    for (let i = 0; i < plan.embedRuns; i++) {
      ctx.log(`embedding: run ${i + 1}/${plan.embedRuns} of the embed package's bench (${plan.embedModel})`);
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const { stdout } = await run(
        npm,
        ['run', '--silent', 'bench', '-w', '@newsrag/embed', '--', '--json', '--reps', '1', '--model', plan.embedModel],
        { cwd: repoRoot, maxBuffer: 16 * 2 ** 20, timeout: 20 * 60_000 },
      );
      runs.push(parseEmbedBench(stdout));
    }
    const first = runs[0] as EmbedBenchJson;
    const keys = first.rows.map((r) => ({ dtype: r.dtype, batchSize: r.batchSize }));
    const rows = keys.map((k) => {
      const same = runs.flatMap((r) => r.rows.filter((x) => x.dtype === k.dtype && x.batchSize === k.batchSize));
      return {
        ...k,
        textsPerSecond: spread(same.map((x) => x.ours.textsPerSecond)),
        tokensPerSecond: spread(same.map((x) => x.ours.tokensPerSecond)),
        ceilingTextsPerSecond: spread(same.map((x) => x.ceiling.textsPerSecond)),
        overheadPct: spread(same.map((x) => x.overhead * 100)),
      };
    });
    const md = [
      `Model \`${first.model}\`, ${first.texts} seed-article sentences, ${first.threads} intra-op threads; ` +
        `median (min–max) of ${runs.length} run(s) of \`npm run bench -w @newsrag/embed -- --json --reps 1 --model ${plan.embedModel}\`. ` +
        'Overhead = how much slower our `embedDocuments` (tokenise, batch, run, pool, normalise) is than `InferenceSession.run` alone on the same padded batches.' +
        (plan.quick ? ' **Quick run: the 0-layer `standin` model instead of `standin-bge-shape`.**' : ''),
      '',
      table(
        ['dtype', 'batch', 'texts/s', 'tokens/s', 'ceiling texts/s', 'overhead %'],
        rows.map((r) => [
          r.dtype,
          String(r.batchSize),
          spreadCell(r.textsPerSecond),
          spreadCell(r.tokensPerSecond, 0),
          spreadCell(r.ceilingTextsPerSecond),
          spreadCell(r.overheadPct),
        ]),
      ),
    ].join('\n');
    // The floor is about the BERT-shaped model: on the 0-layer stand-in the ONNX run is a table
    // lookup, so "overhead" there measures tokenisation against almost nothing and means little.
    const floors = rows
      .filter((r) => r.batchSize === 32)
      .map((r) =>
        first.model === 'standin-bge-shape'
          ? atMost(`embedding overhead at batch 32 (${first.model} ${r.dtype})`, r.overheadPct.median, 15, '%', {
              note: `median of ${r.overheadPct.runs} runs, max ${num(r.overheadPct.max)}%`,
            })
          : atMost(`embedding overhead at batch 32 (standin-bge-shape ${r.dtype})`, undefined, 15, '%', {
              note: `quick run measured the 0-layer ${first.model} model only; run the full bench for this floor`,
            }),
      );
    return {
      markdown: md,
      floors,
      data: { model: first.model, threads: first.threads, texts: first.texts, rows, raw: runs },
    };
  },
};
