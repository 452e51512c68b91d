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
 * Most members of one bucket paired with each member. A bucket this large means many texts
 * share boilerplate; pairing every member with every other would be quadratic (10,000
 * templated notes took minutes), so each is paired with the next `MAX_BUCKET_PAIRS` only. True
 * copies agree on many bands, so they still meet.
 */
export const MAX_BUCKET_PAIRS = 16;

/**
 * Calls `visit(i, j)` (i < j, indices into `signatures`) for the pairs sharing a band, band
 * by band; a pair sharing several bands is visited once per band (callers skip pairs already
 * joined, which is cheaper than remembering every pair). Within a bucket, each member is
 * paired with at most the next {@link MAX_BUCKET_PAIRS}. `null` entries take no part.
 */
export function forEachCandidatePair(
  signatures: readonly (Uint32Array | null)[],
  banding: Banding,
  visit: (i: number, j: number) => void,
): void {
  const n = signatures.length;
  for (let band = 0; band < banding.bands; band++) {
    const buckets = new Map<string, number[]>();
    const from = band * banding.rows;
    for (let i = 0; i < n; i++) {
      const sig = signatures[i];
      if (!sig) continue;
      let key = '';
      for (let r = 0; r < banding.rows; r++) key += `${sig[from + r]},`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
    for (const bucket of buckets.values()) {
      for (let x = 0; x < bucket.length; x++) {
        const end = Math.min(bucket.length, x + 1 + MAX_BUCKET_PAIRS);
        for (let y = x + 1; y < end; y++) visit(bucket[x] as number, bucket[y] as number);
      }
    }
  }
}

/** The distinct pairs {@link forEachCandidatePair} visits, sorted (for tests and measurements). */
export function candidatePairs(signatures: readonly (Uint32Array | null)[], banding: Banding): [number, number][] {
  const seen = new Set<number>();
  const out: [number, number][] = [];
  const n = signatures.length;
  forEachCandidatePair(signatures, banding, (i, j) => {
    const id = i * n + j;
    if (seen.has(id)) return;
    seen.add(id);
    out.push([i, j]);
  });
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}
