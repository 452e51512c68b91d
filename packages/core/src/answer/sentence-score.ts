import { coverage } from '../text/coverage.js';
import type { IdfTable } from '../text/idf.js';
import { stemsOf } from '../text/memo.js';
import { dot } from '../vector.js';
import type { CandidateSentence } from './candidates.js';
import { answerType, typeMatch } from './features.js';

/** A candidate sentence with its evidence features and combined score. */
export interface ScoredSentence extends CandidateSentence {
  vector: Float32Array;
  /** Cosine of the question vector and the sentence vector. */
  cosine: number;
  /** IDF-weighted share of the question's content terms in the sentence. */
  sentenceCoverage: number;
  /** The same, over the sentence's passage and its article title (the context it answers in). */
  passageCoverage: number;
  /** The sentence holds the kind of thing asked for (number, date, name); see {@link typeMatch}. */
  typeMatch: number;
  /** Weighted sum of the features, higher is better. */
  score: number;
}

/**
 * How the features add up to a sentence's score. Checked with the stand-in embedder by the
 * number of answerable dev questions whose first quote contains an expected answer
 * (seed set on the seeds / BBC set in the haystack): these weights 16/20 and 9/40; cosine ×2
 * 17/20 and 8/40; cosine ×0.5 16/20 and 10/40; typeMatch 0: 16/20 and 6/40; passageRank 0:
 * 16/20 and 6/40; coverage weights ±50%: within one question. Most BBC misses are retrieval
 * misses (hit@1 0.48 there).
 */
export const SENTENCE_WEIGHTS = {
  cosine: 1,
  sentenceCoverage: 0.8,
  passageCoverage: 0.3,
  typeMatch: 0.25,
  /** × 1/(passage rank): retrieval order is evidence too. */
  passageRank: 0.2,
};

export type SentenceWeights = typeof SENTENCE_WEIGHTS;

/**
 * Scores every candidate sentence. `vectors[i]` is the embedding of `candidates[i]`.
 * Returns them best first (ties: earlier passage, earlier sentence).
 */
export function scoreSentences(
  question: string,
  candidates: readonly CandidateSentence[],
  vectors: readonly Float32Array[],
  queryVector: Float32Array,
  idf: IdfTable,
  weights: SentenceWeights = SENTENCE_WEIGHTS,
): ScoredSentence[] {
  const type = answerType(question);
  const questionStems = new Set(idf.keys());
  const passageCov = new Map<string, number>();
  const scored = candidates.map((c, i): ScoredSentence => {
    const vector = vectors[i];
    if (!vector) throw new Error(`internal: no vector for candidate sentence ${i}`);
    let pc = passageCov.get(c.passage.chunkId);
    if (pc === undefined) {
      pc = coverage(idf, stemsOf(c.passage.text), stemsOf(c.passage.title ?? ''));
      passageCov.set(c.passage.chunkId, pc);
    }
    const cosine = dot(queryVector, vector);
    const sentenceCoverage = coverage(idf, c.text);
    const tm = typeMatch(type, c.text, questionStems);
    const score =
      weights.cosine * cosine +
      weights.sentenceCoverage * sentenceCoverage +
      weights.passageCoverage * pc +
      weights.typeMatch * tm +
      weights.passageRank / (c.passageIndex + 1);
    return { ...c, vector, cosine, sentenceCoverage, passageCoverage: pc, typeMatch: tm, score };
  });
  return scored.sort((a, b) => b.score - a.score || a.passageIndex - b.passageIndex || a.ordinal - b.ordinal);
}
