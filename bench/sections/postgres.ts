/**
 * 10. The PostgreSQL + pgvector engine against the embedded (SQLite) engine at BBC scale,
 * through the same public API: the Postgres index is `copyIndex`'s copy of the embedded
 * BBC + seeds index (the very same chunks and vectors), on a throw-away server of the pinned
 * pgserver wheel. Quality on every dev set in every mode (the issue's floor: |Δ MRR@10| ≤ 0.02),
 * warm `answer()` latency with the real query embedding, the copy, an update of 1,000 chunks
 * and a removal of 100 articles, and the size of each. Each engine runs in its own process.
 */
import path from 'node:path';
import { readQuestions } from '@newsrag/core';
import { type PgServer, startPostgres } from '../../tests/support/postgres.js';
import { runChild } from '../lib/child.js';
import { type BenchContext, REAL_MODEL } from '../lib/context.js';
import { type MovedQuestion, movedQuestions, mrrFloors, pairScores, type ScorePair } from '../lib/engine-compare.js';
import { atMost, type FloorCheck } from '../lib/floors.js';
import { mib, num, pctCell, ratio, table } from '../lib/markdown.js';
import { repoRoot } from '../lib/paths.js';
import { realModelCached } from '../lib/real-model.js';
import type { EngineLatencyParams, EngineLatencyResult, StageLatency } from '../workers/engine-latency.js';
import type { EngineQualityParams, EngineQualityResult } from '../workers/engine-quality.js';
import type { EngineUpdateParams, EngineUpdateResult } from '../workers/engine-update.js';
import type { Section } from './section.js';

type Engine = 'sqlite' | 'postgres';
const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** The dev sets asked of the BBC + seeds index. */
function devSets(ctx: BenchContext): EngineQualityParams['sets'] {
  return [
    { name: 'seed dev, seeds in BBC', file: ctx.inputs.seedQuestions },
    { name: 'BBC dev, BBC + seeds', file: ctx.inputs.bbcQuestions },
    { name: 'time dev, seeds in BBC', file: path.join(repoRoot, 'data/eval/time-questions.dev.jsonl') },
  ];
}

/**
 * Server settings for the shared 2-core host at BBC scale (~20 MB of vectors): a modest
 * buffer cache (the whole index fits several times over), one parallel worker per query
 * beside the leader, and fsync on (the default) so the update timings are honest, as in
 * bench/postgres-scale.ts.
 */
const PG_SETTINGS = {
  shared_buffers: '512MB',
  effective_cache_size: '4GB',
  work_mem: '64MB',
  maintenance_work_mem: '512MB',
  max_parallel_workers_per_gather: '1',
  max_parallel_maintenance_workers: '1',
  max_wal_size: '4GB',
  checkpoint_timeout: '30min',
  max_connections: '60',
};

/** The quality floors as NOT RUN (no server, or a side failed). */
function notRunFloors(ctx: BenchContext, note: string): FloorCheck[] {
  return devSets(ctx).map((s) =>
    atMost(`Postgres vs embedded |Δ MRR@10| (hybrid), ${s.name}`, undefined, 0.02, 'MRR@10', { decimals: 3, note }),
  );
}

function qualityTable(pairs: readonly ScorePair[]): string {
  const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(3)}`;
  return table(
    [
      'dev set',
      'mode',
      'n',
      'MRR@10 embedded',
      'MRR@10 Postgres',
      'Δ MRR@10',
      'hit@5 embedded',
      'hit@5 Postgres',
      'abstention correct embedded',
      'abstention correct Postgres',
    ],
    pairs.map((p) => [
      p.set,
      p.mode,
      String(p.embedded.n),
      num(p.embedded.mrr10, 3),
      num(p.postgres.mrr10, 3),
      signed(p.deltaMrr10),
      num(p.embedded.hitAt5, 3),
      num(p.postgres.hitAt5, 3),
      `${p.embedded.abstentionCorrect}/${p.embedded.questions}`,
      `${p.postgres.abstentionCorrect}/${p.postgres.questions}`,
    ]),
    ['l', 'l'],
  );
}

/** One engine's figures, from whichever phases succeeded. */
interface EngineRow {
  engine: Engine;
  quality: EngineQualityResult;
  latency?: StageLatency;
  update?: EngineUpdateResult;
}

function engineTable(rows: readonly EngineRow[]): string {
  const label = (e: Engine) => (e === 'sqlite' ? 'embedded (SQLite)' : 'PostgreSQL 16 + pgvector');
  const writeCell = (w: { commitMs: number; openMs: number } | undefined) =>
    w ? `${num(w.commitMs / 1000, 2)} + ${num(w.openMs / 1000, 2)}` : '–';
  return table(
    [
      'engine',
      'articles',
      'chunks',
      'filled by',
      'answer() p50 / p95 / p99 ms',
      'embed p50 / p95 ms',
      'search p50 / p95 ms',
      'add 1,000 chunks s (commit + open)',
      'remove 100 articles s (commit + open)',
      'size MiB (before / after update)',
    ],
    rows.map((r) => [
      label(r.engine),
      String(r.quality.articles),
      String(r.quality.chunks),
      `${r.engine === 'sqlite' ? 'file copy' : '`copyIndex`'} ${num(r.quality.fillMs / 1000, 1)} s`,
      pctCell(r.latency?.wall, 1),
      r.latency ? `${num(r.latency.embed.p50, 1)} / ${num(r.latency.embed.p95, 1)}` : '–',
      r.latency ? `${num(r.latency.search.p50, 1)} / ${num(r.latency.search.p95, 1)}` : '–',
      writeCell(r.update?.add),
      writeCell(r.update?.remove),
      r.update ? `${mib(r.update.bytesOnDisk.before)} / ${mib(r.update.bytesOnDisk.after)}` : '–',
    ]),
  );
}

function movedList(moved: readonly MovedQuestion[]): string {
  if (moved.length === 0) return "No question's first hit moved between the engines, in any mode.";
  const rank = (r: number | null) => (r === null ? '–' : String(r));
  return [
    'Questions whose first hit moved (rank on embedded → Postgres; – = not in the top 10):',
    '',
    table(
      ['dev set', 'mode', 'question', 'embedded', 'Postgres'],
      moved.map((m) => [m.set, m.mode, m.id, rank(m.embedded), rank(m.postgres)]),
      ['l', 'l', 'l'],
    ),
  ].join('\n');
}

export const postgresSection: Section = {
  id: 'postgres',
  title: '10. PostgreSQL engine vs the embedded engine at BBC scale',
  async run(ctx) {
    // The real model when cached (its query embedding is in every answer()), as the latency and store sections.
    const realModel = realModelCached(REAL_MODEL);
    const model = realModel ? REAL_MODEL : 'standin';
    const dtype: 'fp32' | 'q8' = realModel ? 'q8' : 'fp32';
    const source = await ctx.index('mixed', model, dtype);
    const env = await ctx.modelEnv(model);
    const sets = devSets(ctx);
    const queriesFile = await ctx.queriesFile();
    let server: PgServer;
    try {
      server = await startPostgres({ settings: PG_SETTINGS, fsync: true });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log(`postgres: no server: ${message}`);
      return {
        markdown: `**NOT RUN**: no PostgreSQL server could be started: ${message}`,
        floors: notRunFloors(ctx, 'no PostgreSQL server'),
        data: { error: message },
      };
    }
    const location: Record<Engine, string> = {
      sqlite: ctx.scratch('pg-embedded'),
      postgres: server.url({ schema: 'bbc' }),
    };
    const errors: string[] = [];
    const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (error) {
        errors.push(`${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        return undefined;
      }
    };
    const quality = new Map<Engine, EngineQualityResult>();
    const updates = new Map<Engine, EngineUpdateResult>();
    let latency: EngineLatencyResult | undefined;
    try {
      for (const engine of ENGINES) {
        ctx.log(`postgres: ${engine}: fill the index, score ${sets.length} dev sets × 3 modes`);
        const r = await attempt(`${engine} quality`, () =>
          runChild<EngineQualityParams, EngineQualityResult>(
            'engine-quality',
            {
              engine,
              location: location[engine],
              sourceIndexDir: source.indexDir,
              model,
              dtype,
              sets,
              modes: ['hybrid', 'dense', 'bm25'],
            },
            { timeoutMs: 60 * 60_000, env },
          ),
        );
        if (r) quality.set(engine, r.result);
      }
      if (quality.size === ENGINES.length) {
        const exclude: string[] = [];
        for (const s of sets) for (const q of await readQuestions(s.file)) exclude.push(q.question);
        ctx.log(`postgres: answer() latency on both engines, interleaved`);
        latency = (
          await attempt('latency', () =>
            runChild<EngineLatencyParams, EngineLatencyResult>(
              'engine-latency',
              {
                indexes: location,
                model,
                dtype,
                queriesFile,
                exclude,
                queries: ctx.plan.latencyQueries,
                warmup: ctx.plan.latencyWarmup,
              },
              { timeoutMs: 60 * 60_000, env },
            ),
          )
        )?.result;
        for (const engine of ENGINES) {
          ctx.log(`postgres: ${engine}: add 1,000 chunks, remove 100 articles`);
          const r = await attempt(`${engine} update`, () =>
            runChild<EngineUpdateParams, EngineUpdateResult>('engine-update', {
              engine,
              location: location[engine],
              sourceIndexDir: source.indexDir,
              addChunks: 1_000,
              removeArticles: 100,
            }),
          );
          if (r) updates.set(engine, r.result);
        }
      }
    } finally {
      await server.stop();
    }
    const embedded = quality.get('sqlite');
    const postgres = quality.get('postgres');
    if (!embedded || !postgres) {
      return {
        markdown: `**failed**: ${errors.join('; ')}`,
        floors: notRunFloors(ctx, 'an engine failed'),
        data: { quality: [...quality.values()], errors },
      };
    }
    const [uE, uP] = [updates.get('sqlite'), updates.get('postgres')];
    if (uE && uP && uE.digest !== uP.digest) {
      throw new Error('the two engines wrote different updates (digests differ); the comparison would be void');
    }
    const rows: EngineRow[] = ENGINES.map((engine) => ({
      engine,
      quality: quality.get(engine) as EngineQualityResult,
      ...(latency?.latency[engine] ? { latency: latency.latency[engine] } : {}),
      ...(updates.get(engine) ? { update: updates.get(engine) } : {}),
    }));
    const pairs = pairScores(embedded.scores, postgres.scores);
    const moved = movedQuestions(embedded.ranks, postgres.ranks);
    const copy = postgres.copy;
    const [lE, lP] = [latency?.latency.sqlite, latency?.latency.postgres];
    const update = uE ?? uP;
    const md = [
      `Both engines hold the same BBC + seeds index (${embedded.articles} articles, ${embedded.chunks} chunks, ` +
        `${model}${dtype === 'q8' ? ' q8' : ''}${ctx.plan.quick ? "; the quick run's BBC sample" : ''}): the embedded one is a file copy of ` +
        "the index the other sections use, the Postgres one `copyIndex`'s copy of it (no re-embedding" +
        `${copy ? `; ${copy.sampled} articles read back and compared, vectors bit for bit` : ''}). ` +
        'Postgres: PostgreSQL 16.2 + pgvector 0.6.2 (pgserver wheel) on a local unix socket, ' +
        `fsync on, shared_buffers ${PG_SETTINGS.shared_buffers}; below the HNSW threshold, so dense search is exact on both. ` +
        'Through the public API: `openKnowledgeBase({ indexDir })` with a folder or a `postgres://` URL.',
      '',
      "**Quality**: `kb.answer(q, { k: 10, mode })`, scored by core's `scoreQuestions`, each engine in its own process; " +
        'n = answerable questions; "abstention correct" = unanswerable questions that abstained plus answerable ones that answered, ' +
        'of all questions. The floor is on hybrid (the default mode); dense and BM25 alone show which retriever differs.',
      '',
      qualityTable(pairs),
      '',
      movedList(moved),
      '',
      `**Speed**: warm \`kb.answer()\` (hybrid, k = 5), both engines in one process (each its own knowledge base and embedder), ` +
        `${lE ? lE.wall.n : '–'} timed queries after ${ctx.plan.latencyWarmup} untimed ones, each asked of both engines, which one ` +
        'first alternating, so load from other work falls on both alike; the queries are BBC headlines, each asked once (the ' +
        'embedder caches query vectors: a repeat would skip the embedding). "embed" (the question and new passage sentences) and ' +
        '"search" are the answer\'s own timings.' +
        (latency
          ? ` 1-minute load average ${num(latency.loadAverage.before, 2)} before the timed queries, ${num(latency.loadAverage.after, 2)} after.`
          : ''),
      '',
      update
        ? `**Update**: the same precomputed change on both (sha256 equal), embedding excluded: ${update.addedArticles} new articles ` +
          `of ${update.addedChunks} chunks (texts of real BBC sentences, vectors mixed from real ones), then removing ` +
          `${update.removedArticles} articles (${update.removedChunks} chunks) spread over the index; each one \`store.commit\` plus ` +
          'the `store.open` of the state it committed (the two make `store.write`). Size: `store.sizeOnDisk()` (SQLite: its ' +
          "database file and WAL; Postgres: the schema's tables with their indexes and TOAST, no WAL), before and after the update."
        : '**Update**: not measured (see the failures below).',
      '',
      engineTable(rows),
      '',
      `answer() Postgres / embedded: p50 ${ratio(lP?.wall.p50, lE?.wall.p50)}, p95 ${ratio(lP?.wall.p95, lE?.wall.p95)}; ` +
        `search stage p50 ${ratio(lP?.search.p50, lE?.search.p50)}.`,
      ...(errors.length > 0 ? ['', `**failed**: ${errors.join('; ')}`] : []),
    ].join('\n');
    return {
      markdown: md,
      floors: mrrFloors(pairs),
      data: { model, dtype, rows, pairs, moved, loadAverage: latency?.loadAverage, errors },
    };
  },
};
