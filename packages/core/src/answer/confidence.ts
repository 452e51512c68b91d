import type { Passage } from '../types.js';
import type { ScoredSentence } from './sentence-score.js';

/** The evidence an abstention decision is based on, each in 0..1. */
export interface ConfidenceFeatures {
  /** Cosine of the question and the best sentence, rescaled by the embedder's cosine range (see thresholds.ts). */
  cosine: number;
  /** The raw cosine, for calibration output. */
  rawCosine: number;
  /** IDF-weighted coverage of the question's content terms by the best sentence. */
  sentenceCoverage: number;
  /** The same by the passage the best sentence comes from (with its title). */
  passageCoverage: number;
  /** 1 when both retrievers ranked the top passage in their top 10, 0.5 when one retriever ran alone, else 0. */
  agreement: number;
  /**
   * IDF-weighted share of the question's names (see `questionNames`) that the best sentence's
   * article mentions anywhere (1 when the question names nothing): a question about Liverpool
   * against AC Milan in Istanbul is not answered by an article about Liverpool's other final.
   */
  nameCoverage: number;
  /** IDF-weighted coverage of all the question's content terms by the best sentence's whole article. */
  articleCoverage: number;
}

/** Where an embedder's cosines live: `floor` ≈ unrelated texts, `ceiling` ≈ a paraphrase. */
export interface CosineRange {
  floor: number;
  ceiling: number;
}

/**
 * Weights of the features in the confidence (they sum to 1, so confidence is 0..1).
 *
 * Chosen by a grid search over the dev sets' features (`calibrate.ts --json`), maximising the
 * gap between the seed set's unanswerable and answerable questions. Coverage of the passage
 * carries half: it is what separates "What is the population of Vietnam?" (the passage has
 * "Vietnam", nothing about population) from answerable questions; the cosine catches
 * paraphrases that share few words ("previous visit" / "first … since 2000"). Retriever
 * agreement did not separate anything on the dev sets (unanswerable questions are often
 * ranked first by both retrievers), so it is reported but weighs 0.
 *
 * | weights cos/sent/passage/agree | seed gap (lowest answerable − highest unanswerable) |
 * |---|---|
 * | 0.4 / 0.1 / 0.5 / 0    | 0.406 − 0.286 = 0.120 |
 * | 0.5 / 0 / 0.5 / 0      | 0.133, but 0.02 lower on the BBC set |
 * | 0.25 / 0.2 / 0.45 / 0.1 (first guess) | 0.59 − 0.55 = 0.04 |
 */
/** Weights of the confidence features; they sum to 1. */
export type ConfidenceWeights = Readonly<Record<Exclude<keyof ConfidenceFeatures, 'rawCosine'>, number>>;

export const CONFIDENCE_WEIGHTS: ConfidenceWeights = {
  cosine: 0.4,
  sentenceCoverage: 0.1,
  passageCoverage: 0.5,
  agreement: 0,
  nameCoverage: 0,
  articleCoverage: 0,
};

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** The features of the best sentence (null when nothing was found: no evidence at all). */
export function confidenceFeatures(
  best: ScoredSentence | undefined,
  passages: readonly Passage[],
  range: CosineRange,
  article: { nameCoverage: number; articleCoverage: number } = { nameCoverage: 1, articleCoverage: 1 },
): ConfidenceFeatures | null {
  if (!best) return null;
  const top = passages[0];
  const dense = top?.retrievers.dense;
  const bm25 = top?.retrievers.bm25;
  const hybrid = passages.some((p) => p.retrievers.dense) && passages.some((p) => p.retrievers.bm25);
  const agreement = !hybrid ? 0.5 : dense && bm25 && dense.rank <= 10 && bm25.rank <= 10 ? 1 : 0;
  return {
    cosine: clamp01((best.cosine - range.floor) / Math.max(1e-6, range.ceiling - range.floor)),
    rawCosine: best.cosine,
    sentenceCoverage: clamp01(best.sentenceCoverage),
    passageCoverage: clamp01(best.passageCoverage),
    agreement,
    nameCoverage: clamp01(article.nameCoverage),
    articleCoverage: clamp01(article.articleCoverage),
  };
}

/** Weighted sum of the features, 0..1; 0 without features. */
export function confidenceOf(features: ConfidenceFeatures | null, weights = CONFIDENCE_WEIGHTS): number {
  if (!features) return 0;
  let c = 0;
  for (const key of Object.keys(weights) as (keyof typeof weights)[]) c += weights[key] * features[key];
  return clamp01(c);
}
