import MiniSearch from 'minisearch';
import { processTerm } from '../bm25.js';

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/**
 * The terms newsrag indexes for `text` (the SQLite engine's postings keys): the same tokenizer
 * and `processTerm` as the folder store's MiniSearch index (so both engines agree on what a
 * word is, symbols inside a term included), in order.
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
 * A field's BM25 length as MiniSearch counts it (its distinct raw tokens, before
 * `processTerm`), so both engines normalise by the same lengths.
 */
export function fieldLength(text: string): number {
  return new Set(tokenize(text)).size;
}
