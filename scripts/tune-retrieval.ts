/**
 * Grid of retrieval settings over the dev sets, one line of figures per setting, so that
 * the defaults in `retrieve/options.ts` and `retrieve/rerank.ts` are chosen reproducibly.
 *
 *   npx tsx scripts/tune-retrieval.ts --model all-MiniLM-L6-v2 \
 *       --seeds-index DIR --haystack-index DIR [--dtype q8] [--only name,name]
 *
 * Both indexes must exist (build them with `newsrag index`); the seed questions run on
 * both, the BBC questions on the haystack (in two interleaved halves). Prints hit@5 / MRR@10 per set and mode.
 */
import { parseArgs } from 'node:util';
import {
  type AnswerOptions,
  evaluate,
  FolderIndexStore,
  type IndexReader,
  readQuestions,
  type SearchMode,
} from '@newsrag/core';
import type { RetrievalOptions } from '@newsrag/core/internals';
import { createEmbedder } from '@newsrag/embed';

// The rerank knobs are not public options, but `answer` hands every option to the search
// (see `RetrievalOptions`), so the grid can vary them through `evaluate`.
type Settings = Omit<AnswerOptions & RetrievalOptions, 'mode' | 'k'>;

/** Variations tried one at a time from the defaults. */
const GRID: Record<string, Settings> = {
  defaults: {},
  'dense 1': { rerankWeights: { dense: 1 } },
  'dense 2': { rerankWeights: { dense: 2 } },
  'dense 3': { rerankWeights: { dense: 3 } },
  'dense 2 dw2': { rerankWeights: { dense: 2 }, denseWeight: 2 },
  'dense 2 prior 1.5': { rerankWeights: { dense: 2, prior: 1.5 } },
  'dense 3 dw2': { rerankWeights: { dense: 3 }, denseWeight: 2 },
  'dense 2 dw3': { rerankWeights: { dense: 2 }, denseWeight: 3 },
  'dense 2 dw2 depth50': { rerankWeights: { dense: 2 }, denseWeight: 2, rerankDepth: 50 },
  'dense 2 dw2 cand100': { rerankWeights: { dense: 2 }, denseWeight: 2, candidates: 100 },
  'dense 2 dw2 prior5': { rerankWeights: { dense: 2, prior: 5 }, denseWeight: 2 },
  'dense 2 dw2 sent0.5': { rerankWeights: { dense: 2, sentence: 0.5 }, denseWeight: 2 },
  'dense 2 dw2 pass0.5': { rerankWeights: { dense: 2, passage: 0.5 }, denseWeight: 2 },
  'dense 2.5 dw2 depth40': { rerankWeights: { dense: 2.5 }, denseWeight: 2, rerankDepth: 40 },
  'denseWeight 1.5': { denseWeight: 1.5 },
  'denseWeight 2': { denseWeight: 2 },
  'bm25Weight 1.5': { bm25Weight: 1.5 },
  'rrfK 20': { rrfK: 20 },
  'rrfK 120': { rrfK: 120 },
  'candidates 100': { candidates: 100 },
  'rerankDepth 0': { rerankDepth: 0 },
  'rerankDepth 15': { rerankDepth: 15 },
  'rerankDepth 50': { rerankDepth: 50 },
  'prior 5': { rerankWeights: { prior: 5 } },
  'prior 8': { rerankWeights: { prior: 8 } },
  'prior 1.5': { rerankWeights: { prior: 1.5 } },
  'sentence 0.5': { rerankWeights: { sentence: 0.5 } },
  'passage 0.5': { rerankWeights: { passage: 0.5 } },
  'perArticleCap 1': { perArticleCap: 1 },
  'perArticleCap 3': { perArticleCap: 3 },
  // Article- and sentence-level evidence (see rerank.ts), off by default until measured in the haystack.
  'articleCoverage 0.5': { rerankWeights: { articleCoverage: 0.5 } },
  'articleCoverage 1': { rerankWeights: { articleCoverage: 1 } },
  'articleDense 0.5': { rerankWeights: { articleDense: 0.5 } },
  'articleDense 1': { rerankWeights: { articleDense: 1 } },
  'sentenceDense 1': { rerankWeights: { sentenceDense: 1 } },
  'articleCoverage 1 sentenceDense 1': { rerankWeights: { articleCoverage: 1, sentenceDense: 1 } },
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'all-MiniLM-L6-v2' },
      dtype: { type: 'string', default: 'fp32' },
      'seeds-index': { type: 'string' },
      'haystack-index': { type: 'string' },
      'seed-questions': { type: 'string', default: 'data/eval/seed-questions.dev.jsonl' },
      'bbc-questions': { type: 'string', default: '../shared/eval/bbc-questions.dev.jsonl' },
      modes: { type: 'string', default: 'hybrid' },
      only: { type: 'string' },
    },
  });
  const embedder = await createEmbedder({ model: values.model, dtype: values.dtype === 'q8' ? 'q8' : 'fp32' });
  const open = async (dir: string | undefined): Promise<IndexReader | null> =>
    dir === undefined ? null : new FolderIndexStore(dir).open();
  const seeds = await open(values['seeds-index']);
  const hay = await open(values['haystack-index']);
  const seedQ = await readQuestions(values['seed-questions']);
  const bbcQ = hay ? await readQuestions(values['bbc-questions']) : [];
  const only = values.only?.split(',');
  const modes = values.modes.split(',') as SearchMode[];
  const sets: [string, IndexReader | null, typeof seedQ][] = [
    ['seed', seeds, seedQ],
    ['hay', hay, seedQ],
    // Two interleaved halves (odd and even positions: each holds every topic), so a setting is
    // chosen on one half and checked on the other rather than fitted to all 40 at once.
    ['bbcA', hay, bbcQ.filter((_, i) => i % 2 === 0)],
    ['bbcB', hay, bbcQ.filter((_, i) => i % 2 === 1)],
  ];
  for (const [name, settings] of Object.entries(GRID)) {
    if (only && !only.includes(name)) continue;
    for (const mode of modes) {
      const cells: string[] = [];
      for (const [set, reader, questions] of sets) {
        if (!reader) continue;
        const r = await evaluate({ reader, embedder, questions, mode, options: settings });
        const unans = `${r.abstention.abstainedUnanswerable}/${r.abstention.unanswerable}`;
        cells.push(
          `${set} ${r.hitAt5.toFixed(2)}/${r.mrr10.toFixed(3)} ans ${(r.answeredRate * 100).toFixed(0)}% abst ${unans}`,
        );
      }
      console.log(`${name.padEnd(18)} ${mode.padEnd(6)} ${cells.join(' | ')}`);
    }
  }
  await embedder.dispose();
}

await main();
