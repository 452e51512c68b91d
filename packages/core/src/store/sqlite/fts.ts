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

/** What goes into an FTS5 column: the normalised terms separated by spaces. */
export function ftsText(text: string): string {
  return terms(text).join(' ');
}

/**
 * An FTS5 MATCH expression for a free-text query: its distinct terms OR-ed, each quoted
 * (so no term is read as FTS5 syntax such as `NEAR` or `-`), or null when no term is left.
 */
export function ftsQuery(query: string): string | null {
  const distinct = [...new Set(terms(query))];
  if (distinct.length === 0) return null;
  return distinct.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
}
