import { cosineOfUnit, normalized } from '../vector.js';

/**
 * Greedy centroid clustering: each vector, in the given order, joins the cluster whose centroid
 * is most similar (cosine) if that similarity is at least `threshold`, else starts a new
 * cluster. Chosen over a leader rule (compare with the first member only) because the centroid
 * follows the whole cluster, so the order of asking matters less; and over agglomerative
 * clustering because one pass is O(n·clusters) with no n² similarity matrix, which bounds the
 * work on a large log. Returns, per input, the index of its cluster. Pure.
 */
export function greedyClusters(vectors: readonly Float32Array[], threshold: number): number[] {
  const sums: Float32Array[] = [];
  const assignment: number[] = [];
  for (const v of vectors) {
    const unit = normalized(v);
    let best = -1;
    let bestSim = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < sums.length; c++) {
      const sim = cosineOfUnit(unit, sums[c] as Float32Array);
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    if (best >= 0 && bestSim >= threshold) {
      const sum = sums[best] as Float32Array;
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (unit[i] as number);
      assignment.push(best);
    } else {
      sums.push(Float32Array.from(unit));
      assignment.push(sums.length - 1);
    }
  }
  return assignment;
}
