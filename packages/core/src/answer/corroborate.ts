import { keyStems } from '../text/coverage.js';
import type { Corroboration } from '../types.js';
import { dot } from '../vector.js';
import { factKeys } from './facts.js';

/** What corroboration needs of a sentence. */
export interface ComparableSentence {
  articleId: string;
  text: string;
  vector: Float32Array;
  /** IDF-weighted coverage of the question's terms by the sentence (how fully it addresses the question). */
  coverage: number;
  /** The article's date (`YYYY-MM-DD`), to resolve "in 24 years" to a year. */
  date?: string;
  /**
   * The report the article belongs to (one key for all copies of a syndicated story, see
   * `reportKey`); default the article id. Copies never corroborate each other.
   */
  report?: string;
}

/** When two sentences of different articles count as saying the same thing. */
export interface CorroborationRule {
  /** Least cosine of the two sentence vectors (embedder-specific; see thresholds.ts). */
  minCosine: number;
  /**
   * Least cosine when the two state the same number or year (default `minCosine`). A shared
   * resolved fact is strong evidence on its own, and a trained model puts two wordings of it
   * ("first visit since 2000" / "first to the country in 24 years") at ~0.55, below what two
   * sentences without such a fact need.
   */
  minCosineSameFact?: number;
  /** Least number of shared content terms or numbers besides the question's own terms. */
  minSharedTerms: number;
  /**
   * Both must address the question about equally: the smaller coverage at least this share of
   * the larger. Keeps "Kim arrived for his first foreign visit since the pandemic" from
   * corroborating "This was Putin's first visit to North Korea since 2000" for a question on
   * Putin's previous visit — similar words, different fact.
   */
  minCoverageRatio: number;
  /**
   * The shared terms must also be at least this share of the smaller sentence's own content
   * terms (default {@link DEFAULT_MIN_SHARED_SHARE}). Two long sentences always share a couple
   * of words: "the two leaders … during the one-day visit" and "…a two-day visit" share
   * "two" and "day" and say different things.
   */
  minSharedShare?: number;
}

/** See {@link CorroborationRule.minSharedShare}. */
export const DEFAULT_MIN_SHARED_SHARE = 0.3;

/**
 * Whether `a` and `b` say the same thing. Always: different articles and similar vectors. Then either
 * - they state the same number or year that the question does not contain (see `factKeys`:
 *   "first … in 24 years" in an article of 2024 and "first visit … since 2000" both give 2000), or
 * - they address the question about equally (`minCoverageRatio`) and share at least
 *   `minSharedTerms` content terms beyond the question's own, which are also a real share of
 *   each sentence's content (`minSharedShare`; two sentences that merely both mention "Putin"
 *   and "visit", or both say "two" and "day", do not count).
 */
export function corroborates(
  a: ComparableSentence,
  b: ComparableSentence,
  questionStems: ReadonlySet<string>,
  rule: CorroborationRule,
  questionFacts: ReadonlySet<string> = new Set(),
): boolean {
  if (a.articleId === b.articleId || reportOf(a) === reportOf(b)) return false;
  const cosine = dot(a.vector, b.vector);
  if (cosine < Math.min(rule.minCosine, rule.minCosineSameFact ?? rule.minCosine)) return false;
  const fa = factKeys(a.text, a.date);
  for (const f of factKeys(b.text, b.date)) if (fa.has(f) && !questionFacts.has(f)) return true;
  if (cosine < rule.minCosine) return false;
  const hi = Math.max(a.coverage, b.coverage);
  if (hi <= 0 || Math.min(a.coverage, b.coverage) < rule.minCoverageRatio * hi) return false;
  const own = (text: string) => new Set([...keyStems(text)].filter((s) => !questionStems.has(s)));
  const sa = own(a.text);
  const sb = own(b.text);
  let shared = 0;
  for (const s of sb) if (sa.has(s)) shared++;
  const share = rule.minSharedShare ?? DEFAULT_MIN_SHARED_SHARE;
  return shared >= rule.minSharedTerms && shared >= share * Math.min(sa.size, sb.size);
}

const reportOf = (s: ComparableSentence) => s.report ?? s.articleId;

/**
 * Groups cited sentences (marker = index + 1) that corroborate each other across
 * articles, by connected components; only groups spanning two or more independent reports
 * are returned, and `count` is the number of reports (copies of one story count once).
 */
export function groupCorroborations(
  cited: readonly ComparableSentence[],
  questionStems: ReadonlySet<string>,
  rule: CorroborationRule,
  questionFacts: ReadonlySet<string> = new Set(),
): Corroboration[] {
  const parent = cited.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    return r;
  };
  for (let i = 0; i < cited.length; i++) {
    for (let j = i + 1; j < cited.length; j++) {
      if (
        corroborates(cited[i] as ComparableSentence, cited[j] as ComparableSentence, questionStems, rule, questionFacts)
      ) {
        parent[find(j)] = find(i);
      }
    }
  }
  const groups = new Map<number, number[]>();
  cited.forEach((_, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  });
  const out: Corroboration[] = [];
  for (const members of groups.values()) {
    const articleIds = [...new Set(members.map((i) => (cited[i] as ComparableSentence).articleId))];
    const reports = new Set(members.map((i) => reportOf(cited[i] as ComparableSentence)));
    if (reports.size < 2) continue;
    out.push({ markers: members.map((i) => i + 1), articleIds, count: reports.size });
  }
  return out;
}
