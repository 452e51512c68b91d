import type { ScoredChunk } from '../store/contract.js';
import type { RetrieverHits } from '../types.js';

/** The retrievers whose rankings are fused. */
export type RetrieverName = keyof RetrieverHits;

/** One retriever's ranking, best first, and how much its votes weigh. */
export interface RankedList {
  retriever: RetrieverName;
  hits: readonly ScoredChunk[];
  weight: number;
}

/** A row after fusion: its fused score and what each retriever said about it. */
export interface FusedHit {
  row: number;
  /** Σ weight / (k + rank) over the retrievers that found the row. */
  score: number;
  retrievers: RetrieverHits;
}

/**
 * Weighted reciprocal rank fusion (Cormack et al. 2009): `score = Σ w_r / (k + rank_r)`.
 *
 * Ranks, not raw scores, are combined because cosine and BM25 live on unrelated
 * scales; `k` (default 60) flattens the head so one retriever's #1 cannot outvote
 * agreement of both. Each row keeps every retriever's 1-based rank and raw score.
 * Ties are broken by the best single rank, then by row, so the order is deterministic.
 */
export function reciprocalRankFusion(lists: readonly RankedList[], k = 60): FusedHit[] {
  if (!(k >= 0)) throw new RangeError(`rrfK must be ≥ 0, got ${k}`);
  const byRow = new Map<number, FusedHit & { bestRank: number }>();
  for (const list of lists) {
    list.hits.forEach((hit, i) => {
      const rank = i + 1;
      let fused = byRow.get(hit.row);
      if (!fused) {
        fused = { row: hit.row, score: 0, retrievers: {}, bestRank: rank };
        byRow.set(hit.row, fused);
      }
      // A retriever listing a row twice keeps its first (best) rank.
      if (fused.retrievers[list.retriever]) return;
      fused.retrievers[list.retriever] = { rank, score: hit.score };
      fused.score += list.weight / (k + rank);
      fused.bestRank = Math.min(fused.bestRank, rank);
    });
  }
  return [...byRow.values()]
    .sort((a, b) => b.score - a.score || a.bestRank - b.bestRank || a.row - b.row)
    .map(({ row, score, retrievers }) => ({ row, score, retrievers }));
}
