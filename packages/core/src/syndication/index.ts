export {
  canonicalOrder,
  type DuplicateGroup,
  type GroupingOptions,
  nearDuplicateGroups,
  type SignedArticle,
  type Syndication,
  syndication,
} from './groups.js';
export { type Banding, candidatePairs, candidateProbability, forEachCandidatePair, MAX_BUCKET_PAIRS } from './lsh.js';
export { estimateJaccard, exactJaccard, MINHASH_PERMUTATIONS, minhash } from './minhash.js';
export { normalisedWords, paragraphs, SHINGLE_WORDS, shingleHashes, withoutHeadline } from './shingles.js';
export {
  type ArticleSignature,
  articleSignature,
  type DecodedSignature,
  decodeSignature,
  isCurrentSignature,
  SIGNATURE_SCHEME,
  signatureSimilarity,
} from './signature.js';
export { MIN_SHINGLES, NEAR_DUPLICATE_BANDING, NEAR_DUPLICATE_JACCARD } from './threshold.js';
