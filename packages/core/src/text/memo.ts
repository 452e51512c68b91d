/**
 * Question-independent facts about a passage or sentence text (its sentences, stems,
 * terms), remembered by the text itself. Every question reranks ~30 candidate passages and
 * scores ~20 sentences, and the passages of one archive come back again and again; working
 * their sentences and stems out afresh was most of an answer's CPU on the event loop
 * (profile of 50 concurrent /ask: tokenising and sentence splitting ≈ 9 of 15 ms per answer).
 *
 * Keyed by text, not by chunk or reader: the results are pure functions of the text, so
 * they can never go stale when an index changes. Bounded by the characters of the texts
 * held (values are a few times their text's size), least recently used out first.
 */
import { LRUCache } from 'lru-cache';
import { type Span, splitSentences } from '../chunk/sentences.js';
import { evidenceAnalyzer } from './analyzers.js';
import type { Token } from './tokenizer.js';

/** Characters of text each memo holds at most (≈ 1,000 passages, or 10,000 sentences). */
export const TEXT_MEMO_CHARS = 1_500_000;

/** A function of a text remembered for the texts most recently asked about. Values must not be mutated. */
export function memoByText<V extends object>(
  compute: (text: string) => V,
  maxChars = TEXT_MEMO_CHARS,
): {
  (text: string): V;
  /** Texts held now (tests read it to check the bound). */
  readonly size: number;
} {
  const cache = new LRUCache<string, V>({ maxSize: maxChars, sizeCalculation: (_, text) => text.length + 1 });
  const memo = (text: string): V => {
    let value = cache.get(text);
    if (value === undefined) {
      value = compute(text);
      // A text longer than the whole budget is computed, not kept.
      if (text.length + 1 <= maxChars) cache.set(text, value);
    }
    return value;
  };
  Object.defineProperty(memo, 'size', { get: () => cache.size });
  return memo as ReturnType<typeof memoByText<V>>;
}

/** {@link splitSentences} of a whole text, shared: do not mutate. */
export const sentenceSpansOf: (text: string) => readonly Readonly<Span>[] = memoByText((text) =>
  Object.freeze(splitSentences(text).map((s) => Object.freeze(s))),
);

/** `evidenceAnalyzer.tokenize` of a text, shared: do not mutate. */
export const tokensOf: (text: string) => readonly Readonly<Token>[] = memoByText((text) =>
  Object.freeze(evidenceAnalyzer.tokenize(text).map((t) => Object.freeze(t))),
);

/** The stems of a text, as a shared read-only set. */
export const stemsOf: (text: string) => ReadonlySet<string> = memoByText(
  (text) => new Set(evidenceAnalyzer.tokenize(text).map((t) => t.stem)),
);

/** The stems of each sentence of a passage (see {@link sentenceSpansOf}), shared. */
export const sentenceStemsOf: (text: string) => readonly ReadonlySet<string>[] = memoByText((text) =>
  Object.freeze(sentenceSpansOf(text).map((s) => stemsOf(text.slice(s.start, s.end)))),
);
