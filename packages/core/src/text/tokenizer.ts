/**
 * Where text is split into words: both of newsrag's splitters, side by side. Which one a
 * stage uses is the analyzer's choice (see `analyzers.ts`); nothing else splits words.
 */
import MiniSearch from 'minisearch';

/**
 * MiniSearch's default tokenizer: splits on Unicode spaces and punctuation (`Putin's` →
 * `putin`, `s`; `77.6` → `77`, `6`). The BM25 postings of every stored index were made with
 * it, so it is named here rather than re-implemented: a different split would silently
 * mis-score old indexes.
 */
export const splitWords = MiniSearch.getDefault('tokenize') as (text: string, fieldName?: string) => string[];

/** A word of a text with its stem; `start`/`end` are offsets in the text. */
export interface Token {
  /** Lower-cased surface form. */
  word: string;
  stem: string;
  start: number;
  end: number;
  /** Digits (a year, a count, "77.6"): numbers are strong evidence when they match. */
  numeric: boolean;
}

// Letters (any script) and digits, joined by inner apostrophes, dots or commas of numbers ("77.6", "793,000").
const TOKEN = /[\p{L}\p{M}]+(?:['’][\p{L}]+)*|\p{N}+(?:[.,]\p{N}+)*/gu;

/**
 * Splits text into lower-cased tokens with offsets, keeping numbers whole ("793,000" stems to
 * "793000") and stemming words with `stem`. Punctuation and emoji are skipped. Unlike
 * {@link splitWords} it keeps offsets (answers quote and test capitals at them).
 */
export function tokenizeWithOffsets(text: string, stem: (word: string) => string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0];
    const word = raw.toLowerCase().replace(/’/g, "'");
    const numeric = /^\p{N}/u.test(word);
    out.push({
      word,
      stem: numeric ? word.replace(/,/g, '') : stem(word),
      start: m.index,
      end: m.index + raw.length,
      numeric,
    });
  }
  return out;
}
