import { newsragError } from '../errors.js';

/** Longest question searched; longer ones are cut here (at a word boundary when there is one). */
export const MAX_QUESTION_CHARS = 2000;

/**
 * Checks and normalises a question before retrieval.
 * Empty or whitespace-only → `BAD_QUESTION`; over {@link MAX_QUESTION_CHARS} characters → truncated,
 * because a pasted article is still a usable query and refusing it helps nobody.
 */
export function prepareQuestion(question: unknown): string {
  if (typeof question !== 'string') {
    throw newsragError('BAD_QUESTION', {
      subject: 'question',
      problem: `must be a string, got ${question === null ? 'null' : typeof question}`,
    });
  }
  const trimmed = question.replace(/\s+/g, ' ').trim();
  if (trimmed.length === 0) {
    throw newsragError('BAD_QUESTION', {
      subject: 'question',
      problem: 'is empty: type a question about the news articles',
    });
  }
  if (trimmed.length <= MAX_QUESTION_CHARS) return trimmed;
  const cut = trimmed.slice(0, MAX_QUESTION_CHARS);
  const space = cut.lastIndexOf(' ');
  // Do not split a surrogate pair or a word when a nearby boundary exists.
  return (space > MAX_QUESTION_CHARS - 100 ? cut.slice(0, space) : cut.replace(/[\uD800-\uDBFF]$/, '')).trim();
}
