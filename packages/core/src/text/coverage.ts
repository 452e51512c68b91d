/**
 * How much of a question a text covers, weighting each content term by its IDF. Pure functions.
 */
import { evidenceAnalyzer } from './analyzers.js';
import type { IdfTable } from './idf.js';
import { stemsOf } from './memo.js';

/** The stems of a text, as a set of the caller's own (see `stemsOf` for a shared one). */
export function stemSet(text: string): Set<string> {
  return new Set(stemsOf(text));
}

/**
 * IDF-weighted share of the question's content terms that occur in `text`: 1 when
 * every term is there, near 0 when the rare ones are missing. Empty question → 0.
 * With `alsoIn`, a term counts when either `text` or `alsoIn` has it (a passage and its title).
 */
export function coverage(idf: IdfTable, text: string | ReadonlySet<string>, alsoIn?: ReadonlySet<string>): number {
  let total = 0;
  for (const w of idf.values()) total += w;
  if (total === 0) return 0;
  const stems = typeof text === 'string' ? stemsOf(text) : text;
  let found = 0;
  for (const [s, w] of idf) if (stems.has(s) || alsoIn?.has(s)) found += w;
  return found / total;
}

/** Question stems found in `text` (for "does the second sentence add something"). */
export function coveredStems(idf: IdfTable, text: string): Set<string> {
  const stems = stemsOf(text);
  return new Set([...idf.keys()].filter((s) => stems.has(s)));
}

/** Content stems and numbers of a text, for comparing two sentences. */
export function keyStems(text: string): Set<string> {
  return new Set(
    evidenceAnalyzer
      .tokenize(text)
      .filter((t) => !evidenceAnalyzer.isStopWord(t.word) && t.stem.length >= 2)
      .map((t) => t.stem),
  );
}
