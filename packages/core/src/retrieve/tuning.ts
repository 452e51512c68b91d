import type { EmbedderFingerprint } from '@newsrag/embed';

/** The retrieval settings that depend on how good the embedder's dense ranking is. */
export interface RetrievalTuning {
  /** Weight of the dense list in reciprocal rank fusion. */
  denseWeight: number;
  /** Weight of the passage cosine in the evidence reranker (see `rerank.ts`). */
  rerankDense: number;
  /** Weight of the best cosine of the candidate's article in the reranker (see `rerank.ts`). */
  rerankArticleDense: number;
  /** Weight of the best sentence's cosine in the reranker (see `rerank.ts`). */
  rerankSentenceDense: number;
  /** Weight of the candidate's whole-article coverage of the question in the reranker (see `rerank.ts`). */
  rerankArticleCoverage: number;
}

/**
 * Trained transformers (all-MiniLM-L6-v2; bge-small-en-v1.5 and other hub models by default).
 * Dense retrieval is strong, so it weighs double in fusion and its cosine takes part in
 * reranking, which is otherwise lexical. all-MiniLM-L6-v2 fp32, hit@5 / MRR@10 (seed set on
 * the seeds · seed set in the haystack · BBC set in the haystack), from `scripts/tune-retrieval.ts`:
 *
 * | setting                         | seed        | haystack    | BBC         |
 * |---------------------------------|-------------|-------------|-------------|
 * | word-vector tuning (1, 0)       | 1.00 / 0.925 | 1.00 / 0.887 | 0.68 / 0.579 |
 * | rerank dense 1                  | 1.00 / 0.925 | 1.00 / 0.925 | 0.70 / 0.569 |
 * | rerank dense 2                  | 1.00 / 0.933 | 1.00 / 0.950 | 0.78 / 0.614 |
 * | rerank dense 3                  | 1.00 / 0.908 | 1.00 / 0.933 | 0.80 / 0.620 |
 * | **dense weight 2, rerank dense 2** | **1.00 / 0.933** | **1.00 / 0.933** | **0.82 / 0.655** |
 * | dense weight 3, rerank dense 2  | 1.00 / 0.908 | 1.00 / 0.933 | 0.82 / 0.655 |
 * | dense weight 2, rerank dense 3  | 1.00 / 0.908 | 1.00 / 0.908 | 0.82 / 0.623 |
 *
 * Article coverage (the candidate's whole article covering the question, `rerank.ts`) weighs 1:
 * all-MiniLM-L6-v2 q8, hybrid, MRR@10 (hit@5), seeds · seeds in haystack · BBC half A · half B:
 * 0.933 · 0.933 (1.00) · 0.577 (0.75) · 0.696 (0.80) → 0.967 · 0.933 (1.00) · 0.608 (0.80) · 0.700 (0.80);
 * 0.5 gives 0.942 · 0.933 · 0.583 · 0.699. BM25 mode (also reranked) with it: 0.883 · 0.879 · 0.588 · 0.531.
 * Article cosine and sentence cosine stay off (weight 0): on the seeds alone all-MiniLM-L6-v2 (fp32 and q8 alike) gives MRR@10 0.933 →
 * 0.942 / 0.967 with article coverage 0.5 / 1, but 0.933 → 0.897 / 0.868 with sentence cosine 1 / 2
 * and 0.893 with article cosine 1 (three articles on one story: the article-level signal cannot
 * separate them there). The stand-in (seeds · seeds in haystack · BBC halves A/B) with article
 * coverage 1: 0.892 → 0.887 · 0.867 → 0.863 · 0.563 → 0.600 / 0.582 → 0.577.
 *
 * Before, the lexical reranker pushed passages only the dense retriever found (a paraphrase
 * sharing no rare word with the question) out of the top 30: e.g. "What proportion of people
 * leaving Scottish prisons are convicted of fresh offences?" was dense rank 1, hybrid not found.
 */
export const TRANSFORMER_TUNING: Readonly<RetrievalTuning> = Object.freeze({
  denseWeight: 2,
  rerankDense: 2,
  rerankArticleDense: 0,
  rerankSentenceDense: 0,
  rerankArticleCoverage: 1,
});

/**
 * The word-vector stand-ins: their dense ranking is weak, so fusion weighs both lists alike
 * and reranking stays lexical (tuned in the first wave; see `options.ts`).
 */
export const WORD_VECTOR_TUNING: Readonly<RetrievalTuning> = Object.freeze({
  denseWeight: 1,
  rerankDense: 0,
  rerankArticleDense: 0,
  rerankSentenceDense: 0,
  rerankArticleCoverage: 0,
});

const BY_MODEL: Readonly<Record<string, Readonly<RetrievalTuning>>> = {
  'newsrag/standin': WORD_VECTOR_TUNING,
  'newsrag/standin-bge-shape': WORD_VECTOR_TUNING,
};

/** The tuning for an embedder; trained transformers unless it is a stand-in. */
export function retrievalTuningFor(fingerprint: Pick<EmbedderFingerprint, 'modelId'> | undefined): RetrievalTuning {
  return (fingerprint && BY_MODEL[fingerprint.modelId]) ?? TRANSFORMER_TUNING;
}
