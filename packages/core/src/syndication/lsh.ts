/**
 * Locality-sensitive hashing over MinHash signatures (banding): a signature is cut into
 * `bands` bands of `rows` values; two signatures that agree on a whole band become a
 * candidate pair. A pair of Jaccard s is a candidate with probability 1 − (1 − sʳ)ᵇ, so only
 * candidates are compared instead of all n² pairs.
 */

/** Bands × rows of the banding (`bands × rows` ≤ the signature length). */
export interface Banding {
  bands: number;
  rows: number;
}

/** Probability that a pair of Jaccard `s` shares at least one band. */
export function candidateProbability(s: number, banding: Banding): number {
  return 1 - (1 - s ** banding.rows) ** banding.bands;
}

/**
 * Candidate pairs `[i, j]` (i < j, indices into `signatures`) sharing at least one band,
 * each once, sorted. `null` entries (articles without a signature) take no part.
 */
export function candidatePairs(signatures: readonly (Uint32Array | null)[], banding: Banding): [number, number][] {
  const pairs = new Set<number>();
  const out: [number, number][] = [];
  const n = signatures.length;
  for (let band = 0; band < banding.bands; band++) {
    const buckets = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const sig = signatures[i];
      if (!sig) continue;
      const from = band * banding.rows;
      let key = '';
      for (let r = 0; r < banding.rows; r++) key += `${sig[from + r]},`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
    for (const bucket of buckets.values()) {
      for (let x = 0; x < bucket.length; x++) {
        for (let y = x + 1; y < bucket.length; y++) {
          const i = bucket[x] as number;
          const j = bucket[y] as number;
          const id = i * n + j;
          if (pairs.has(id)) continue;
          pairs.add(id);
          out.push([i, j]);
        }
      }
    }
  }
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}
