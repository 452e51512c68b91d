/**
 * Second-stage ranking of fused candidates by lexical evidence. Pure functions.
 *
 * Fusion ranks whole chunks; an answer is usually one sentence. A chunk in which one
 * sentence holds most of the question's rare terms is a far better bet than one that
 * mentions them scattered (or only its common ones), so the top candidates are
 * re-ordered by IDF-weighted coverage of the question at two granularities, plus a
 * prior from the fused rank. Coverage uses the answer stage's stemmer, which also
 * joins inflections the BM25 index keeps apart ("inspect"/"inspection", "meet"/"meeting").
 */

import { splitSentences } from '../chunk/sentences.js';
import { coverage, stemSet } from './coverage.js';
import type { IdfTable } from './idf.js';

/** Weights of the rerank score `sentence·maxSentenceCoverage + passage·passageCoverage + prior/(priorK + rank)`. */
export interface RerankWeights {
  sentence: number;
  passage: number;
  prior: number;
  priorK: number;
}

/**
 * Tuned on the dev sets with the stand-in embedder (hybrid, depth 30; hit@5 / MRR@10 on the seed
 * set over the seeds, the seed set in the haystack, the BBC set in the haystack):
 * - fused order alone:               0.90/0.72, 0.80/0.65, 0.58/0.47
 * - sentence 1, passage 1, prior 3:  1.00/0.89, 0.95/0.87, 0.70/0.58 (with IDF floor 1, see idf.ts)
 * - prior 5 or 8, or priorK 3: −0.01…−0.03 MRR on two sets; sentence 0.5: −0.03 MRR on two sets.
 * - tried and dropped: the best sentence's cosine (embedding every candidate sentence: no gain
 *   with the stand-in, one forward pass per sentence), coverage of two-sentence windows
 *   (+0.03 seed, −0.03 haystack), soft term matching by word-vector similarity
 *   ("pets"≈"dogs"; −0.04 MRR on the haystack seed set, ±0.01 on BBC).
 */
export const RERANK_WEIGHTS: Readonly<RerankWeights> = { sentence: 1, passage: 1, prior: 3, priorK: 10 };

/** What the reranker needs of a candidate. */
export interface RerankItem {
  text: string;
  title?: string;
}

/** The evidence of one candidate: the best sentence's coverage and the whole passage's (with its title). */
export function passageEvidence(
  idf: IdfTable,
  item: RerankItem,
): { sentenceCoverage: number; passageCoverage: number } {
  let sentenceCoverage = 0;
  for (const span of splitSentences(item.text)) {
    sentenceCoverage = Math.max(sentenceCoverage, coverage(idf, item.text.slice(span.start, span.end)));
  }
  const stems = stemSet(item.text);
  for (const s of stemSet(item.title ?? '')) stems.add(s);
  return { sentenceCoverage, passageCoverage: coverage(idf, stems) };
}

/**
 * Re-orders `items` (in fused order, best first) by evidence; items beyond `depth`
 * keep their order after the reranked head. Stable: ties keep the fused order.
 */
export function rerankByEvidence<T extends RerankItem>(
  items: readonly T[],
  idf: IdfTable,
  depth: number,
  weights: RerankWeights = RERANK_WEIGHTS,
): T[] {
  if (idf.size === 0 || depth <= 1) return [...items];
  const head = items.slice(0, depth).map((item, i) => {
    const e = passageEvidence(idf, item);
    return {
      item,
      i,
      score:
        weights.sentence * e.sentenceCoverage +
        weights.passage * e.passageCoverage +
        weights.prior / (weights.priorK + i + 1),
    };
  });
  head.sort((a, b) => b.score - a.score || a.i - b.i);
  return [...head.map((h) => h.item), ...items.slice(depth)];
}
