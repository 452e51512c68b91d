/**
 * Worker: one peer library's usual pipeline on the same articles (read by core's
 * reader, so the texts are identical), the same embedder (`standin`) and the same
 * questions, scored by core's eval scoring after capping passages to 1,200 chars.
 */
import { readFile } from 'node:fs/promises';
import { readArticles, readQuestions } from '@newsrag/core';
import { type QuestionOutcome, scoreQuestions } from '@newsrag/core/internals';
import { createEmbedder } from '@newsrag/embed';
// Scoring is not re-exported from the package root; this is core's own eval scoring.
import { workerMain } from '../lib/child.js';
import type { BenchModel } from '../lib/context.js';
import { type QualityScore, qualityScore } from '../lib/scores.js';
import { type Percentiles, percentiles, type Spread, spread } from '../lib/stats.js';
import type { PeerPipeline } from '../peers/pipeline.js';
import { capPassage } from '../peers/pipeline.js';

export interface PeerParams {
  peer: 'langchain' | 'llamaindex';
  model: BenchModel;
  /** Corpora to build, each with the question sets asked of it. */
  /** Each corpus is built `buildRuns` times (time: median, min, max; the last build is queried). */
  corpora: Array<{ name: string; dir: string; buildRuns: number; sets: Array<{ name: string; file: string }> }>;
  /** Time this many retrievals (k = 10) on the corpus named `corpus`. */
  timing: { corpus: string; queriesFile: string; queries: number; warmup: number };
}

export interface PeerCorpusResult {
  corpus: string;
  articles: number;
  passages: number;
  buildMs: Spread;
}

export interface PeerResult {
  name: string;
  versions: Record<string, string>;
  splitter: string;
  builds: PeerCorpusResult[];
  scores: QualityScore[];
  /** Share of returned passages that were longer than 1,200 chars and were cut. */
  cutShare: number;
  longestPassage: number;
  latency: Percentiles;
}

async function createPipeline(
  peer: PeerParams['peer'],
  embedder: Awaited<ReturnType<typeof createEmbedder>>,
): Promise<PeerPipeline> {
  // Imported only here: the peer libraries exist only after `ensurePeers()`. The specifier is
  // computed so that the typecheck of a fresh clone, which lacks them, does not follow it
  // (bench/tsconfig.check.json); the factory's type is restated here.
  const adapter = `../peers/${peer === 'langchain' ? 'langchain' : 'llamaindex'}.js`;
  const factory = peer === 'langchain' ? 'createLangchainPipeline' : 'createLlamaindexPipeline';
  const mod = (await import(adapter)) as Record<string, (e: typeof embedder) => Promise<PeerPipeline>>;
  const create = mod[factory];
  if (!create) throw new Error(`${adapter} does not export ${factory}`);
  return create(embedder);
}

workerMain<PeerParams, PeerResult>(async (p) => {
  const embedder = await createEmbedder({ model: p.model, dtype: 'fp32', showProgress: false });
  try {
    const builds: PeerCorpusResult[] = [];
    const scores: QualityScore[] = [];
    let returned = 0;
    let cut = 0;
    let longest = 0;
    let latency: Percentiles | undefined;
    let meta: Pick<PeerResult, 'name' | 'versions' | 'splitter'> | undefined;
    for (const corpus of p.corpora) {
      const { articles } = await readArticles([corpus.dir]);
      const input = articles.map((a) => ({ id: a.id, text: a.text, title: a.meta.title }));
      const times: number[] = [];
      let pipeline: PeerPipeline | undefined;
      let passages = 0;
      for (let i = 0; i < Math.max(1, corpus.buildRuns); i++) {
        pipeline = await createPipeline(p.peer, embedder);
        const t0 = performance.now();
        passages = (await pipeline.build(input)).passages;
        times.push(performance.now() - t0);
      }
      if (!pipeline) throw new Error('no pipeline was built');
      meta = { name: pipeline.name, versions: pipeline.versions, splitter: pipeline.splitter };
      builds.push({ corpus: corpus.name, articles: articles.length, passages, buildMs: spread(times) });
      for (const set of corpus.sets) {
        const questions = await readQuestions(set.file);
        const outcomes = new Map<string, QuestionOutcome>();
        for (const q of questions) {
          const raw = await pipeline.retrieve(q.question, 10);
          const capped = raw.map(capPassage);
          returned += capped.length;
          cut += capped.filter((c) => c.cut).length;
          for (const r of raw) longest = Math.max(longest, r.text.length);
          // Peers have no abstention: they always answer.
          outcomes.set(q.id, { passages: capped, abstained: false });
        }
        scores.push(qualityScore(set.name, 'dense', scoreQuestions(questions, outcomes)));
      }
      if (corpus.name === p.timing.corpus) {
        const queries = JSON.parse(await readFile(p.timing.queriesFile, 'utf8')) as string[];
        for (let i = 0; i < p.timing.warmup; i++) await pipeline.retrieve(queries[i % queries.length] as string, 10);
        const ms: number[] = [];
        for (let i = 0; i < p.timing.queries; i++) {
          const q = queries[(i + p.timing.warmup) % queries.length] as string;
          const t = performance.now();
          await pipeline.retrieve(q, 10);
          ms.push(performance.now() - t);
        }
        latency = percentiles(ms);
      }
    }
    if (!meta || !latency) throw new Error(`timing corpus ${p.timing.corpus} is not among the corpora`);
    return { ...meta, builds, scores, cutShare: returned ? cut / returned : 0, longestPassage: longest, latency };
  } finally {
    await embedder.dispose();
  }
});
