/**
 * Questions about an exchange ("What gifts did Putin and Kim exchange?") have two sides, and
 * news reports them in two sentences: "Putin gifted Kim a limousine …" and, a sentence or two
 * later, "In return, the North Korean leader gave the Russian President a pair of Pungsan dogs".
 * The second shares few words with the question and its cosine is modest, so the ordinary
 * selection never quotes it; its opening words are what mark it as the other half. Pure functions.
 */
import type { ScoredSentence } from './sentence-score.js';

/** Words that make a question ask for both sides of an exchange. */
const EXCHANGE_QUESTION =
  /\b(exchang\w*|swap(?:s|ped|ping)?|trad(?:e|ed|ing)\s+(?:gifts?|places|blows|prisoners)|each other|one another|in return|reciprocat\w*)\b/i;

/** Openers of the sentence that reports the other side. */
const OTHER_SIDE = /^\W*(in return|in exchange|in turn|in response|reciprocating|for (?:his|her|their|its) part)\b/i;

/** Whether the question asks for both sides of an exchange. */
export function asksForExchange(question: string): boolean {
  return EXCHANGE_QUESTION.test(question);
}

/** How far below the best quote's cosine the other side's sentence may be. */
export const OTHER_SIDE_COSINE_MARGIN = 0.35;

/**
 * Adds to `picks` the best-scored sentence that opens as the other side of an exchange
 * ("In return, …"), when there is room, it is not a quote already, and it is still about
 * the question (cosine within {@link OTHER_SIDE_COSINE_MARGIN} of the best quote's).
 */
export function completeExchange(
  picks: readonly ScoredSentence[],
  scored: readonly ScoredSentence[],
  maxSentences: number,
): ScoredSentence[] {
  const best = picks[0];
  if (!best || picks.length >= maxSentences || picks.some((p) => OTHER_SIDE.test(p.text))) return [...picks];
  const other = scored.find(
    (c) =>
      !picks.includes(c) &&
      // Overlap only: the other side often directly follows the first ("… a limousine. In return, …").
      !picks.some((p) => p.passage.articleId === c.passage.articleId && p.start < c.end && c.start < p.end) &&
      OTHER_SIDE.test(c.text) &&
      c.cosine >= best.cosine - OTHER_SIDE_COSINE_MARGIN,
  );
  return other ? [...picks, other] : [...picks];
}
