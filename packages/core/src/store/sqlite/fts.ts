import MiniSearch from 'minisearch';
import { processTerm } from '../bm25.js';

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/**
 * The terms newsrag indexes for `text`: the same tokenizer and `processTerm` as the folder
 * store's MiniSearch index (so both engines agree on what a word is), in order.
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    const t = processTerm(token);
    if (t) out.push(t);
  }
  return out;
}

/**
 * A term as one unicode61 token. unicode61 splits on every character that is not a letter
 * or a number, while MiniSearch's tokenizer keeps symbols inside a term (`us=x`, `4+4`); each
 * such character becomes `ǂ<code point in base 36>ǂ` (ǂ is a letter to unicode61), so both
 * engines see exactly the same terms and agree on every document frequency.
 */
export function ftsTerm(term: string): string {
  return term.replace(/[^\p{L}\p{N}]/gu, (c) => `ǂ${(c.codePointAt(0) as number).toString(36)}ǂ`);
}

/**
 * A field's BM25 length as MiniSearch counts it (its distinct raw tokens, before
 * `processTerm`), so both engines normalise by the same lengths.
 */
export function fieldLength(text: string): number {
  return new Set(tokenize(text)).size;
}

/** What goes into an FTS5 column: the normalised terms separated by spaces. */
export function ftsText(text: string): string {
  return terms(text).map(ftsTerm).join(' ');
}
