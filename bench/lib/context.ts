/**
 * What the sections share: the run's plan (quick or full), its scratch folder, the
 * prepared corpora, the query list and the indexes built so far (so the quality,
 * latency, peer and bot sections reuse the indexing section's indexes).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IndexParams, IndexResult } from '../workers/index.js';
import { runChild } from './child.js';
import { buildCorpus, listBbc, questionArticleIds, sampleBbc } from './corpus.js';
import type { BenchInputs } from './paths.js';
import { snapshotModel } from './real-model.js';

/** The models the bench indexes and queries with: the stand-ins and the real presets. */
export type BenchModel = 'standin' | 'standin-bge-shape' | 'all-MiniLM-L6-v2' | 'bge-small-en-v1.5';

/** The models `--model` accepts. */
export const BENCH_MODELS: readonly BenchModel[] = [
  'standin',
  'standin-bge-shape',
  'all-MiniLM-L6-v2',
  'bge-small-en-v1.5',
];

/** The real model measured end to end (indexing, latency): the one whose weights are obtainable here. */
export const REAL_MODEL = 'all-MiniLM-L6-v2' as const;

/** Sizes and repetitions of one run. */
export interface Plan {
  quick: boolean;
  /** Invocations of the embed package's bench (each is one rep), and its model. */
  embedRuns: number;
  embedModel: 'standin' | 'standin-bge-shape';
  /** Invocations of the embed bench per cached real model (each is one rep). */
  realEmbedRuns: number;
  /** BBC paragraphs added to the seed sentences for the real models' throughput. */
  realBbcParagraphs: number;
  /** Timed passes of sentence-transformers per batch size (one process). */
  stRepeats: number;
  /** BBC articles indexed with `standin` (all 2,225 in the full run). */
  bbcArticles: number;
  /** BBC articles indexed with `standin-bge-shape` (a documented sample: it is slow). */
  bgeBbcArticles: number;
  /** Repetitions of each indexing measurement (median, min, max). */
  indexRuns: number;
  /** Repetitions of the bge-shape seeds indexing. */
  bgeSeedRuns: number;
  /** Repetitions of the bge-shape BBC sample (it takes minutes). */
  bgeIndexRuns: number;
  loadRuns: number;
  /** Chunk counts of the synthetic latency indexes. */
  latencySizes: number[];
  /** Larger synthetic indexes, tried last (the scale section). */
  scaleSizes: number[];
  /** Sizes of the in-memory dense-scan measurement (cheap: no store, no BM25). */
  denseSizes: number[];
  latencyQueries: number;
  latencyWarmup: number;
  memoryCalls: number;
  memoryWarmup: number;
  peerQueries: number;
  /** Builds of the BBC corpus per peer (the seeds are always built 3 times). */
  peerBuildRuns: number;
  botLevels: number[];
  botMinSamples: number;
  /**
   * The embedding model of the bot section's index and bot: the real model (q8) when it is
   * in the model cache, else the stand-in, said so in the report.
   */
  botModel: BenchModel;
  /** The embedder of the quality and peers sections (`--model`). */
  qualityModel: BenchModel;
}

/** The plan for `--quick` (under 3 minutes) or the full run (up to 30). */
export function makePlan(quick: boolean, overrides: Partial<Plan> = {}): Plan {
  const base: Plan = quick
    ? {
        quick,
        embedRuns: 3,
        embedModel: 'standin',
        realEmbedRuns: 1,
        realBbcParagraphs: 60,
        stRepeats: 1,
        bbcArticles: 150,
        bgeBbcArticles: 5,
        indexRuns: 3,
        bgeSeedRuns: 1,
        bgeIndexRuns: 1,
        loadRuns: 3,
        latencySizes: [2_000, 25_000],
        scaleSizes: [],
        denseSizes: [2_000, 25_000, 100_000],
        latencyQueries: 150,
        latencyWarmup: 20,
        memoryCalls: 2_000,
        memoryWarmup: 100,
        peerQueries: 100,
        peerBuildRuns: 3,
        botLevels: [1, 10, 50, 200],
        botMinSamples: 20,
        botModel: REAL_MODEL,
        qualityModel: 'standin',
      }
    : {
        quick,
        embedRuns: 3,
        embedModel: 'standin-bge-shape',
        realEmbedRuns: 3,
        realBbcParagraphs: 200,
        stRepeats: 3,
        bbcArticles: Number.MAX_SAFE_INTEGER,
        bgeBbcArticles: 60,
        indexRuns: 3,
        bgeSeedRuns: 3,
        bgeIndexRuns: 1,
        loadRuns: 5,
        latencySizes: [2_000, 25_000, 100_000],
        scaleSizes: [1_000_000],
        denseSizes: [2_000, 25_000, 100_000, 1_000_000],
        latencyQueries: 500,
        latencyWarmup: 50,
        memoryCalls: 10_000,
        memoryWarmup: 200,
        peerQueries: 500,
        peerBuildRuns: 1,
        botLevels: [1, 10, 50, 200],
        botMinSamples: 100,
        botModel: REAL_MODEL,
        qualityModel: 'standin',
      };
  return { ...base, ...overrides };
}

/** The prepared corpora. */
export interface Corpora {
  /** The seed articles alone. */
  seedsDir: string;
  /** Seeds at the root, BBC (or the plan's sample of it) under `bbc/`. */
  mixedDir: string;
  mixedArticles: number;
  bbcArticles: number;
  /** Seeds plus the bge-shape BBC sample. */
  bgeSampleDir: string;
  bgeSampleBbcArticles: number;
}

/** An index built by a section, with how it was built. */
export interface BuiltIndex {
  indexDir: string;
  model: BenchModel;
  dtype: 'fp32' | 'q8';
  corpusDir: string;
  result: IndexResult;
  maxRssBytes: number;
  /** Wall time of the whole child process. */
  wallMs: number;
}

export class BenchContext {
  private corporaPromise: Promise<Corpora> | undefined;
  private queriesPromise: Promise<string> | undefined;
  private readonly indexes = new Map<string, Promise<BuiltIndex>>();
  private readonly memos = new Map<string, Promise<unknown>>();

  constructor(
    readonly plan: Plan,
    readonly inputs: BenchInputs,
    /** Scratch folder of this run (deleted at the end unless `--keep`). */
    readonly workDir: string,
    readonly log: (line: string) => void,
  ) {}

  /** Copies the corpora into the scratch folder (once). */
  corpora(): Promise<Corpora> {
    this.corporaPromise ??= (async () => {
      const all = await listBbc(this.inputs.bbcDir);
      const required = await questionArticleIds([this.inputs.bbcQuestions]);
      const mixed = sampleBbc(all, this.plan.bbcArticles, required);
      const bge = sampleBbc(all, this.plan.bgeBbcArticles, new Set());
      const seedsDir = path.join(this.workDir, 'corpus-seeds');
      const mixedDir = path.join(this.workDir, 'corpus-mixed');
      const bgeSampleDir = path.join(this.workDir, 'corpus-bge-sample');
      await buildCorpus(seedsDir, { seedsDir: this.inputs.seedsDir });
      const m = await buildCorpus(mixedDir, {
        seedsDir: this.inputs.seedsDir,
        bbcDir: this.inputs.bbcDir,
        bbcFiles: mixed,
      });
      await buildCorpus(bgeSampleDir, { seedsDir: this.inputs.seedsDir, bbcDir: this.inputs.bbcDir, bbcFiles: bge });
      this.log(
        `corpora: seeds, seeds + ${mixed.length} of ${all.length} BBC articles, seeds + ${bge.length} BBC (bge-shape sample)`,
      );
      return {
        seedsDir,
        mixedDir,
        mixedArticles: m.articles,
        bbcArticles: mixed.length,
        bgeSampleDir,
        bgeSampleBbcArticles: bge.length,
      };
    })();
    return this.corporaPromise;
  }

  /**
   * A JSON file of realistic queries: the eval questions plus BBC headlines
   * (one per article of the indexed sample), at least 500.
   */
  queriesFile(): Promise<string> {
    this.queriesPromise ??= (async () => {
      const queries: string[] = [];
      for (const file of [this.inputs.seedQuestions, this.inputs.bbcQuestions]) {
        for (const line of (await readFile(file, 'utf8')).split('\n')) {
          if (line.trim()) queries.push((JSON.parse(line) as { question: string }).question);
        }
      }
      const { mixedDir } = await this.corpora();
      const bbcRoot = path.join(mixedDir, 'bbc');
      const headlines: string[] = [];
      for (const topic of (await readdir(bbcRoot)).sort()) {
        for (const name of (await readdir(path.join(bbcRoot, topic))).sort()) {
          const first = (await readFile(path.join(bbcRoot, topic, name), 'utf8')).split('\n')[0]?.trim();
          if (first) headlines.push(first);
        }
      }
      // Interleave so every prefix of the list mixes questions and headlines.
      const out: string[] = [];
      for (let i = 0; out.length < Math.max(500, queries.length + headlines.length); i++) {
        const q = queries[i % queries.length];
        if (q) out.push(q);
        const h = headlines[i % Math.max(1, headlines.length)];
        if (h) out.push(h);
        if (i > 5_000) break;
      }
      const file = path.join(this.workDir, 'queries.json');
      await writeFile(file, JSON.stringify(out));
      return file;
    })();
    return this.queriesPromise;
  }

  /**
   * The index of `corpus` with `model`, built in a child process the first time it is
   * asked for (the indexing section asks first and reports the build).
   */
  index(
    corpus: 'seeds' | 'mixed' | 'bge-sample',
    model: BenchModel,
    dtype: 'fp32' | 'q8' = 'fp32',
  ): Promise<BuiltIndex> {
    const key = `${corpus}-${model}${dtype === 'fp32' ? '' : `-${dtype}`}`;
    let p = this.indexes.get(key);
    if (!p) {
      p = (async () => {
        const c = await this.corpora();
        const corpusDir = corpus === 'seeds' ? c.seedsDir : corpus === 'mixed' ? c.mixedDir : c.bgeSampleDir;
        const indexDir = path.join(this.workDir, 'indexes', key);
        await mkdir(path.dirname(indexDir), { recursive: true });
        const r = await runChild<IndexParams, IndexResult>(
          'index',
          { corpusDir, indexDir, model, dtype },
          { env: await this.modelEnv(model) },
        );
        return { indexDir, model, dtype, corpusDir, result: r.result, maxRssBytes: r.maxRssBytes, wallMs: r.wallMs };
      })();
      this.indexes.set(key, p);
    }
    return p;
  }

  /**
   * The environment for processes that measure a real model: `NEWSRAG_CACHE_DIR` pointing at
   * this run's frozen copy of it (see {@link snapshotModel}); empty for the stand-ins.
   */
  async modelEnv(model: BenchModel): Promise<Record<string, string>> {
    if (model === 'standin' || model === 'standin-bge-shape') return {};
    const dir = await this.memo(`model-snapshot:${model}`, () =>
      snapshotModel(model, path.join(this.workDir, 'model-cache')),
    );
    return { NEWSRAG_CACHE_DIR: dir };
  }

  /** Runs `compute` once per key and shares its result between sections. */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = compute();
      this.memos.set(key, p);
    }
    return p;
  }

  /** A fresh, unused folder under the scratch folder. */
  scratch(name: string): string {
    return path.join(this.workDir, 'scratch', `${name}-${Math.random().toString(36).slice(2, 8)}`);
  }
}
