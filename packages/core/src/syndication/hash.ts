/** Seeded 32-bit hashing for shingles and MinHash permutations: deterministic across runs and machines. */

/** Seed of the shingle hash and the permutations; a change here needs a new `SIGNATURE_SCHEME`. */
export const SEED = 0x6e657773; // "news"

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers with full avalanche. */
export function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** FNV-1a over the UTF-16 code units of `s`, finalised by {@link fmix32}. */
export function hashString(s: string): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}
