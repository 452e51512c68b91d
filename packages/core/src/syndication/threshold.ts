import type { Banding } from './lsh.js';

/**
 * Least estimated Jaccard of two articles' shingle sets (4-word shingles, 128-value MinHash)
 * for them to count as copies of one story.
 *
 * Measured with `npm run bench -- --only syndication` (bench/sections/syndication.ts):
 *
 * | threshold | BBC pairs P / R | variants P / R | variants R, all edits at once |
 * |---|---|---|---|
 * | 0.40 | 96.5 % / 98.2 % | 99.5 % / 99.6 % | 97.7 % |
 * | **0.45** | **96.5 % / 98.2 %** | **99.4 % / 98.1 %** | **88.7 %** |
 * | 0.50 | 97.0 % / 98.2 % | 99.4 % / 95.1 % | 70.9 % |
 * | 0.60 | 97.0 % / 97.0 % | 99.5 % / 85.3 % | 13.6 % |
 *
 * BBC: the 167 pairs of `DUPLICATES.tsv` over all 2.47 M pairs of the 2,225 articles. The 6
 * "false" pairs at 0.45 (estimates 0.48–0.73) are updates of one event by the same outlet
 * (e.g. "Talks aim to avert pension strike" / "Stalemate in pension strike talks"), which the
 * list leaves out; the 3 missed pairs are same-headline rewrites sharing 27–34 % of shingles.
 * Variants: 213 distinct BBC stories × 6 generated copies (headline changed, 30 % trimmed,
 * paragraphs re-ordered, 1 word in 30 changed, a paragraph added, and all of these at once),
 * against each original's most similar other BBC article; every single edit is found at 100 %.
 * 0.45 rather than 0.40: the same BBC figures, and a margin above different stories on one
 * topic, which reach 0.39 ("Blair buys copies of new Band Aid" / "Band Aid 20 single storms to
 * No 1"; the estimate's standard error there is ~0.04); a false group hides an independent
 * report from search, a missed one only shows a copy.
 */
export const NEAR_DUPLICATE_JACCARD = 0.45;

/**
 * LSH banding: 42 bands of 3 rows (126 of the 128 values). A pair at the threshold (0.45) is a
 * candidate with probability 0.98, at 0.5 0.996; unrelated articles (Jaccard ~0.01) almost never.
 */
export const NEAR_DUPLICATE_BANDING: Banding = { bands: 42, rows: 3 };

/**
 * Least shingles (≈ words) a text needs to be grouped at all. Templated one-line notes
 * ("Note 5: the harbour reopened after repairs number 5.") share a third of their 6 shingles,
 * and with so few the estimate's noise alone joins some pairs, which then chain whole sets
 * together; a news article has hundreds (the shortest BBC one over 80).
 */
export const MIN_SHINGLES = 20;
