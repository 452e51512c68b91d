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

import { coverage } from '../text/coverage.js';
import type { IdfTable } from '../text/idf.js';
import { sentenceStemsOf, stemsOf } from '../text/memo.js';

/**
 * Weights of the rerank score
 * `sentence·maxSentenceCoverage + passage·passageCoverage + dense·relativeCosine + prior/(priorK + rank)`.
 */
export interface RerankWeights {
  sentence: number;
  passage: number;
  /**
   * The passage's cosine with the question, min-max scaled over the reranked head (so it
   * is 0..1 whatever the model's cosine scale); 0 when there is no query vector (`bm25`).
   */
  dense: number;
  /**
   * The best cosine of any passage of the candidate's article, min-max scaled over the head
   * like `dense`: a passage whose article is about the question's story is a better bet than
   * an equally close passage of an article about something else.
   */
  articleDense: number;
  /** IDF-weighted coverage of the question by the candidate's whole article (every passage and the title). */
  articleCoverage: number;
  /**
   * The best cosine of the question with one sentence of the passage, min-max scaled over the
   * passages that have one (the first `sentenceDepth` after a first pass; others get 0).
   */
  sentenceDense: number;
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
export const RERANK_WEIGHTS: Readonly<RerankWeights> = {
  sentence: 1,
  passage: 1,
  dense: 0,
  articleDense: 0,
  articleCoverage: 0,
  sentenceDense: 0,
  prior: 3,
  priorK: 10,
};

/** What the reranker needs of a candidate. */
export interface RerankItem {
  text: string;
  title?: string;
  articleId: string;
}

/** What the reranker can learn about a candidate's whole article (see `articleEvidence` in search.ts). */
export interface ArticleEvidence {
  /** Best cosine of the question with any of the article's passages. */
  cosine: number;
  /** Stems of every passage of the article and of its title. */
  stems: ReadonlySet<string>;
}

/** The evidence of one candidate: the best sentence's coverage and the whole passage's (with its title). */
export function passageEvidence(
  idf: IdfTable,
  item: RerankItem,
): { sentenceCoverage: number; passageCoverage: number } {
  let sentenceCoverage = 0;
  for (const stems of sentenceStemsOf(item.text)) sentenceCoverage = Math.max(sentenceCoverage, coverage(idf, stems));
  return { sentenceCoverage, passageCoverage: coverage(idf, stemsOf(item.text), stemsOf(item.title ?? '')) };
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
  cosineOf?: (item: T) => number,
  articleOf?: (articleId: string) => ArticleEvidence,
  sentenceCosines?: ReadonlyMap<T, number>,
): T[] {
  if (idf.size === 0 || depth <= 1) return [...items];
  const headItems = items.slice(0, depth);
  const dense = relativeCosines(headItems, weights.dense > 0 ? cosineOf : undefined);
  const wantArticle = articleOf !== undefined && (weights.articleDense > 0 || weights.articleCoverage > 0);
  const articles = new Map<string, ArticleEvidence>();
  const articleEvidence = (item: T): ArticleEvidence | undefined => {
    if (!wantArticle) return undefined;
    let e = articles.get(item.articleId);
    if (!e) {
      e = articleOf(item.articleId);
      articles.set(item.articleId, e);
    }
    return e;
  };
  const articleDense = relativeCosines(
    headItems,
    wantArticle && weights.articleDense > 0 ? (item) => articleEvidence(item)?.cosine ?? 0 : undefined,
  );
  const sentenceDense = relativeSentenceCosines(headItems, weights.sentenceDense > 0 ? sentenceCosines : undefined);
  const head = headItems.map((item, i) => {
    const e = passageEvidence(idf, item);
    const a = weights.articleCoverage > 0 ? articleEvidence(item) : undefined;
    return {
      item,
      i,
      score:
        weights.sentence * e.sentenceCoverage +
        weights.passage * e.passageCoverage +
        weights.dense * (dense[i] ?? 0) +
        weights.articleDense * (articleDense[i] ?? 0) +
        weights.articleCoverage * (a ? coverage(idf, a.stems) : 0) +
        weights.sentenceDense * (sentenceDense[i] ?? 0) +
        weights.prior / (weights.priorK + i + 1),
    };
  });
  head.sort((a, b) => b.score - a.score || a.i - b.i);
  return [...head.map((h) => h.item), ...items.slice(depth)];
}

/** Cosines min-max scaled to 0..1 over `items`; all 0 without a cosine function or with no spread. */
function relativeCosines<T>(items: readonly T[], cosineOf: ((item: T) => number) | undefined): number[] {
  if (cosineOf === undefined) return items.map(() => 0);
  const raw = items.map(cosineOf);
  const lo = Math.min(...raw);
  const hi = Math.max(...raw);
  return hi - lo > 1e-9 ? raw.map((c) => (c - lo) / (hi - lo)) : raw.map(() => 0);
}

/** Like {@link relativeCosines} over the items `cosines` knows; the others get 0. */
function relativeSentenceCosines<T>(items: readonly T[], cosines: ReadonlyMap<T, number> | undefined): number[] {
  if (cosines === undefined || cosines.size === 0) return items.map(() => 0);
  const known = [...cosines.values()];
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return items.map((item) => {
    const c = cosines.get(item);
    return c === undefined || hi - lo <= 1e-9 ? 0 : (c - lo) / (hi - lo);
  });
}
