/**
 * 8. Store engines: the folder store (generations) against the SQLite store, same machine,
 * same run, at BBC scale (the real BBC + seeds index) and on a synthetic index (100k chunks;
 * `--store-chunks N` changes it). Each engine and size runs in its own process.
 */
import { runChild } from '../lib/child.js';
import { mib, num, table } from '../lib/markdown.js';
import { realModelCached } from '../lib/real-model.js';
import type { StoreEngineParams, StoreEngineResult } from '../workers/store-engine.js';
import type { Section } from './section.js';

/** The synthetic size: 1M chunks would need ~13 GB for the folder store's write on this shared machine. */
const SYNTHETIC_CHUNKS = Number(process.env.NEWSRAG_BENCH_STORE_CHUNKS ?? 100_000);
/**
 * The engines measured at the synthetic size (`NEWSRAG_BENCH_STORE_SYNTHETIC_ENGINES`, default
 * both): at 1M chunks the folder store alone needs ~13 GB and ~25 min for its three writes.
 */
const SYNTHETIC_ENGINES = (process.env.NEWSRAG_BENCH_STORE_SYNTHETIC_ENGINES ?? 'folder,sqlite')
  .split(',')
  .filter((e): e is 'folder' | 'sqlite' => e === 'folder' || e === 'sqlite');

export const storeSection: Section = {
  id: 'store',
  title: '8. Index store engines: folder vs SQLite',
  async run(ctx) {
    // The real query embedding when the model is cached (answer() p95 includes it), else the stand-in.
    const realModel = realModelCached('all-MiniLM-L6-v2');
    const model = realModel ? 'all-MiniLM-L6-v2' : 'standin';
    const dtype = realModel ? 'q8' : 'fp32';
    const real = await ctx.index('mixed', model, dtype);
    const env = await ctx.modelEnv(model);
    const sizes: (number | null)[] = ctx.plan.quick ? [null] : [null, SYNTHETIC_CHUNKS];
    const rows: StoreEngineResult[] = [];
    const errors: string[] = [];
    for (const chunks of sizes) {
      for (const engine of chunks === null ? (['folder', 'sqlite'] as const) : SYNTHETIC_ENGINES) {
        ctx.log(`store: ${engine} at ${chunks === null ? 'BBC scale' : `${chunks} synthetic chunks`}`);
        try {
          const r = await runChild<StoreEngineParams, StoreEngineResult>(
            'store-engine',
            {
              engine,
              sourceIndexDir: real.indexDir,
              targetDir: ctx.scratch(`store-${engine}`),
              chunks,
              queriesFile: await ctx.queriesFile(),
              queries: ctx.plan.quick ? 200 : 1_000,
              warmup: 20,
              model,
              dtype,
            },
            { nodeFlags: ['--max-old-space-size=12288', '--expose-gc'], timeoutMs: 40 * 60_000, env },
          );
          rows.push(r.result);
        } catch (error) {
          errors.push(
            `${engine} at ${chunks ?? 'BBC'}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
          );
        }
      }
    }
    const md = [
      `Each engine in its own process; \`answer()\` with ${model}${dtype === 'q8' ? ' q8' : ''} (query embedding included), warm, ` +
        `${ctx.plan.quick ? 200 : 1_000} queries; add = one \`store.write\` of 1,000 chunks of new articles (vectors given, embedding excluded; the returned snapshot included) by a writer holding the snapshot it opened, as a bot or \`watch\` does; ` +
        'remove = one `store.write` removing 100 articles, right after; size = the current state (the folder store also keeps the previous generation).',
      '',
      table(
        [
          'engine',
          'chunks',
          'build s',
          'open s',
          'answer p50 / p95 ms',
          'RSS after open + queries MiB',
          'add 1,000 chunks s',
          'remove 100 articles s',
          'size on disk MiB',
        ],
        rows.map((r) => [
          r.engine,
          String(r.chunks),
          num(r.buildMs / 1000, 1),
          num(r.openMs / 1000, 2),
          `${num(r.answer.p50, 1)} / ${num(r.answer.p95, 1)}`,
          mib(r.rssAfterQueriesBytes),
          num(r.addMs / 1000, 2),
          num(r.removeMs / 1000, 2),
          mib(r.bytesOnDisk),
        ]),
      ),
      ...(errors.length > 0 ? ['', `**failed**: ${errors.join('; ')}`] : []),
    ].join('\n');
    return { markdown: md, floors: [], data: { rows, errors } };
  },
};
