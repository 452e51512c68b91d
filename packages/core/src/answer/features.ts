/**
 * Evidence features of a sentence or passage for a question. Pure functions.
 */
import { evidenceAnalyzer } from '../text/analyzers.js';
import { tokensOf } from '../text/memo.js';
import type { Token } from '../text/tokenizer.js';

/** The kinds of answer a question's wording asks for. */
export type AnswerType = 'number' | 'time' | 'entity' | 'other';

/** Reads the expected answer type from the question's first words. */
export function answerType(question: string): AnswerType {
  const q = question.toLowerCase();
  if (
    /\b(how (many|much|long|old|far|big|large|steep|little)|what (share|proportion|percentage|rate|size|figure|age|price))\b/.test(
      q,
    )
  )
    return 'number';
  if (/\b(when|what (year|date|day|month|time)|since when)\b/.test(q)) return 'time';
  if (/\b(who|whom|whose|where|which)\b/.test(q)) return 'entity';
  return 'other';
}

const MONTHS =
  /\b(january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|ago|years?|decades?|since)\b/i;

/**
 * 1 when the sentence holds something of the expected type that the question does not
 * already contain (a number for "how many", a date for "when", a new capitalised name for
 * "who/which/where"), else 0. `other` questions get 0.5: no type to check.
 */
export function typeMatch(type: AnswerType, sentence: string, questionStems: ReadonlySet<string>): number {
  const terms = tokensOf(sentence);
  const fresh = (t: Token) => !questionStems.has(t.stem);
  switch (type) {
    case 'number':
      return terms.some((t) => t.numeric && fresh(t)) ||
        /\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|dozens?|hundreds?|thousands?|millions?|billions?|half)\b/i.test(
          sentence,
        )
        ? 1
        : 0;
    case 'time':
      return terms.some((t) => t.numeric && fresh(t)) || MONTHS.test(sentence) ? 1 : 0;
    case 'entity':
      // A capitalised word that is not sentence-initial and not in the question.
      return terms.some(
        (t, i) =>
          i > 0 && fresh(t) && !evidenceAnalyzer.isStopWord(t.word) && /^\p{Lu}/u.test(sentence.slice(t.start, t.end)),
      )
        ? 1
        : 0;
    default:
      return 0.5;
  }
}
