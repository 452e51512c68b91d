/**
 * 4. Retrieval quality of newsrag's hybrid, dense-only and BM25-only modes: hit@1/3/5
 * and MRR@10 on the seed questions (seeds alone, and mixed into BBC) and the BBC
 * questions, scored with core's eval scoring.
 */

import { runChild } from '../lib/child.js';
import type { BenchContext } from '../lib/context.js';
import { num, table } from '../lib/markdown.js';
import type { QualityParams, QualityResult, QualityScore } from '../workers/quality.js';
import type { Section } from './section.js';

/** The question sets, each asked of the corpus it belongs to. */
export const QUESTION_SETS = [
  { name: 'seed questions, seeds alone', corpus: 'seeds', file: 'seedQuestions' },
  { name: 'seed questions, seeds in BBC', corpus: 'mixed', file: 'seedQuestions' },
  { name: 'BBC questions, BBC + seeds', corpus: 'mixed', file: 'bbcQuestions' },
] as const;

/** newsrag's scores on every set and mode, plus its hybrid search latency on the BBC index (computed once). */
export function newsragQuality(
  ctx: BenchContext,
): Promise<{ scores: QualityScore[]; searchLatency: QualityResult['searchLatency'] }> {
  return ctx.memo('newsrag-quality', async () => {
    const scores: QualityScore[] = [];
    let searchLatency: QualityResult['searchLatency'];
    for (const corpus of ['seeds', 'mixed'] as const) {
      const index = await ctx.index(corpus, ctx.plan.qualityModel);
      const sets = QUESTION_SETS.filter((s) => s.corpus === corpus).map((s) => ({
        name: s.name,
        file: ctx.inputs[s.file],
      }));
      ctx.log(`quality: newsrag on ${corpus} (${sets.length} question set(s) × 3 modes)`);
      const r = await runChild<QualityParams, QualityResult>(
        'quality',
        {
          indexDir: index.indexDir,
          model: ctx.plan.qualityModel,
          sets,
          modes: ['hybrid', 'dense', 'bm25'],
          ...(corpus === 'mixed'
            ? { timing: { queriesFile: await ctx.queriesFile(), queries: ctx.plan.peerQueries, warmup: 20 } }
            : {}),
        },
        { env: await ctx.modelEnv(ctx.plan.qualityModel) },
      );
      scores.push(...r.result.scores);
      if (r.result.searchLatency) searchLatency = r.result.searchLatency;
    }
    return { scores, searchLatency };
  });
}

export const qualitySection: Section = {
  id: 'quality',
  title: '4. Retrieval quality',
  async run(ctx) {
    const { scores } = await newsragQuality(ctx);
    const c = await ctx.corpora();
    const md = [
      `Top 10 passages of \`kb.answer(q, { k: 10, mode })\` (${ctx.plan.qualityModel}), scored by \`scoreQuestions\` of core's eval ` +
        '(the shared `eval/README.md` rules); n = answerable questions. "abstained" = unanswerable questions that abstained. ' +
        `BBC corpus: ${c.bbcArticles} articles${c.bbcArticles < 2225 ? ' (quick-run sample, always including every article a question needs)' : ''}.`,
      '',
      table(
        ['question set', 'mode', 'n', 'hit@1', 'hit@3', 'hit@5', 'MRR@10', 'abstained'],
        scores.map((s) => [
          s.set,
          s.mode,
          String(s.n),
          num(s.hitAt1, 3),
          num(s.hitAt3, 3),
          num(s.hitAt5, 3),
          num(s.mrr10, 3),
          `${s.abstainedUnanswerable}/${s.unanswerable}`,
        ]),
        ['l', 'l'],
      ),
    ].join('\n');
    return { markdown: md, floors: [], data: { scores } };
  },
};
