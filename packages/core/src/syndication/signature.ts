import { estimateJaccard, MINHASH_PERMUTATIONS, minhash } from './minhash.js';
import { SHINGLE_WORDS, shingleHashes, withoutHeadline } from './shingles.js';

/**
 * Names the shingling, hashing and permutation parameters. A stored signature of another
 * scheme is stale: the indexer recomputes it from the article's text (no re-embedding).
 */
export const SIGNATURE_SCHEME = `minhash-w${SHINGLE_WORDS}-p${MINHASH_PERMUTATIONS}-v1`;

/** What the index keeps per article for near-duplicate detection (in `articles.json`). */
export interface ArticleSignature {
  /** {@link SIGNATURE_SCHEME} of the code that computed it. */
  scheme: string;
  /** The MinHash signature, little-endian uint32s, base64. */
  minhash: string;
  /** Distinct shingles of the text (0: no words, never grouped). */
  shingles: number;
}

/** A signature decoded for comparison. */
export interface DecodedSignature {
  values: Uint32Array;
  shingles: number;
}

/**
 * The signature of an article's text. The headline is left out when the text starts with it
 * (syndicated copies change headlines); pass the article's `title` for that.
 */
export function articleSignature(text: string, title?: string): ArticleSignature {
  const set = shingleHashes(withoutHeadline(text, title));
  const values = minhash(set);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    view.setUint32(i * 4, v, true);
  });
  return { scheme: SIGNATURE_SCHEME, minhash: Buffer.from(bytes).toString('base64'), shingles: set.size };
}

/** Whether a stored signature was made by this code's scheme (else it is recomputed). */
export function isCurrentSignature(sig: ArticleSignature | undefined): sig is ArticleSignature {
  return sig !== undefined && sig.scheme === SIGNATURE_SCHEME;
}

/** Decodes a stored signature; null when it is of another scheme or malformed. */
export function decodeSignature(sig: ArticleSignature | undefined): DecodedSignature | null {
  if (!isCurrentSignature(sig)) return null;
  const bytes = Buffer.from(sig.minhash, 'base64');
  if (bytes.length !== MINHASH_PERMUTATIONS * 4) return null;
  const values = new Uint32Array(MINHASH_PERMUTATIONS);
  for (let i = 0; i < values.length; i++) values[i] = bytes.readUInt32LE(i * 4);
  return { values, shingles: sig.shingles };
}

/** Estimated Jaccard of the two articles' shingle sets (0 when either has none). */
export function signatureSimilarity(a: DecodedSignature, b: DecodedSignature): number {
  if (a.shingles === 0 || b.shingles === 0) return 0;
  return estimateJaccard(a.values, b.values);
}
