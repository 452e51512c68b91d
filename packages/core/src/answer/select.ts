import { reportKey } from '../retrieve/copies.js';
import { coveredStems } from '../text/coverage.js';
import type { IdfTable } from '../text/idf.js';
import { samePlace } from './candidates.js';
import { type ComparableSentence, type CorroborationRule, corroborates } from './corroborate.js';
import type { ScoredSentence } from './sentence-score.js';

/** How far below the best sentence's score a further quote may be. */
export const SELECTION_MARGINS = {
  /** A sentence of another article that says the same thing as a quote (it confirms the answer). */
  corroborating: 0.6,
  /** A sentence from elsewhere that covers question terms the quotes do not, or holds the asked-for type. */
  complementary: 0.3,
  /**
   * A sentence of another article that answers nearly as well as the best on its own: quoting
   * both gives the reader a second source ("What gifts did Putin and Kim exchange?" has one
   * article's limousine sentence and the other's "luxury car … various paintings").
   */
  rival: 0.1,
};

/**
 * Picks the sentences to quote: the best one, then up to `maxSentences − 1` more, each
 * only if it comes from a different place (not the same or a neighbouring sentence) and
 * adds something: it corroborates a quote from another article (preferred), it answers nearly
 * as well from another article, or it covers question terms / the asked-for kind of answer
 * that the quotes so far miss.
 *
 * @param scored candidates best first (see `scoreSentences`)
 */
export function selectSentences(
  scored: readonly ScoredSentence[],
  idf: IdfTable,
  maxSentences: number,
  rule: CorroborationRule,
  questionFacts: ReadonlySet<string> = new Set(),
  margins = SELECTION_MARGINS,
): ScoredSentence[] {
  const best = scored[0];
  if (!best || maxSentences < 1) return [];
  const picks: ScoredSentence[] = [best];
  const questionStems = new Set(idf.keys());
  while (picks.length < maxSentences) {
    const elsewhere = scored.filter((c) => !picks.includes(c) && !picks.some((p) => samePlace(p, c)));
    const confirming = elsewhere.find(
      (c) =>
        c.score >= best.score - margins.corroborating &&
        picks.some((p) => corroborates(comparable(p), comparable(c), questionStems, rule, questionFacts)),
    );
    if (confirming) {
      picks.push(confirming);
      continue;
    }
    const rival = elsewhere.find(
      (c) => c.score >= best.score - margins.rival && picks.every((p) => p.passage.articleId !== c.passage.articleId),
    );
    if (rival) {
      picks.push(rival);
      continue;
    }
    const covered = new Set(picks.flatMap((p) => [...coveredStems(idf, p.text)]));
    const typed = picks.some((p) => p.typeMatch === 1);
    const adding = elsewhere.find(
      (c) =>
        c.score >= best.score - margins.complementary &&
        ([...coveredStems(idf, c.text)].some((s) => !covered.has(s)) || (!typed && c.typeMatch === 1)),
    );
    if (!adding) break;
    picks.push(adding);
  }
  return picks;
}

/** The view of a scored sentence that corroboration compares. */
export function comparable(s: ScoredSentence): ComparableSentence {
  return {
    articleId: s.passage.articleId,
    text: s.text,
    vector: s.vector,
    coverage: s.sentenceCoverage,
    report: reportKey(s.passage),
    ...(s.passage.date !== undefined ? { date: s.passage.date } : {}),
  };
}
