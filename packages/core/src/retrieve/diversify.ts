/**
 * Keeps one article from filling the result list. Pure functions over ranked items.
 */
import { dot } from '../vector.js';

/**
 * Walks `items` best first and keeps at most `cap` per article, until `k` are kept.
 * `cap` 0 means no cap. Items over the cap are dropped, not deferred: the contract
 * is "at most `cap` passages from one article".
 */
export function capPerArticle<T extends { articleId: string }>(items: readonly T[], cap: number, k: number): T[] {
  const out: T[] = [];
  const perArticle = new Map<string, number>();
  for (const item of items) {
    if (out.length >= k) break;
    const n = perArticle.get(item.articleId) ?? 0;
    if (cap > 0 && n >= cap) continue;
    perArticle.set(item.articleId, n + 1);
    out.push(item);
  }
  return out;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998) over unit vectors:
 * repeatedly picks the item maximising `λ·relevance − (1−λ)·max cosine to the picked ones`.
 * `relevance` is the item's own score scaled to 0..1 by its rank position, so fused
 * RRF scores (which are tiny numbers) and cosines stay comparable.
 *
 * @param items candidates, best first
 * @param vectorOf the stored vector of an item (a view is fine; it is not modified)
 * @param lambda 1 = pure relevance, 0 = pure novelty
 */
export function maximalMarginalRelevance<T>(
  items: readonly T[],
  vectorOf: (item: T) => Float32Array,
  k: number,
  lambda = 0.7,
): T[] {
  const n = items.length;
  const relevance = items.map((_, i) => (n <= 1 ? 1 : 1 - i / (n - 1)));
  const vectors = items.map(vectorOf);
  const picked: number[] = [];
  const maxSim = new Array<number>(n).fill(Number.NEGATIVE_INFINITY);
  const used = new Array<boolean>(n).fill(false);
  while (picked.length < Math.min(k, n)) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const redundancy = picked.length === 0 ? 0 : (maxSim[i] as number);
      const s = lambda * (relevance[i] as number) - (1 - lambda) * redundancy;
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    used[best] = true;
    picked.push(best);
    const v = vectors[best] as Float32Array;
    for (let i = 0; i < n; i++) {
      if (!used[i]) maxSim[i] = Math.max(maxSim[i] as number, dot(v, vectors[i] as Float32Array));
    }
  }
  return picked.map((i) => items[i] as T);
}

/**
 * Drops every item whose vector is near-identical (cosine ≥ `minCosine`) to an earlier,
 * kept item. Catches the same text indexed twice under two ids (the BBC corpus has 98
 * byte-identical article pairs), which a per-article cap cannot.
 */
export function dropNearDuplicates<T>(
  items: readonly T[],
  vectorOf: (item: T) => Float32Array,
  minCosine: number,
): T[] {
  const kept: T[] = [];
  const keptVectors: Float32Array[] = [];
  for (const item of items) {
    const v = vectorOf(item);
    if (keptVectors.some((k) => dot(k, v) >= minCosine)) continue;
    kept.push(item);
    keptVectors.push(v);
  }
  return kept;
}
