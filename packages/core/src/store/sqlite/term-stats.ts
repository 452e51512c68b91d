/**
 * Per-term document frequencies of the SQLite engine's lexical index (`term_stats`, schema 3):
 * for each term, the live chunk rows holding it in their text, in their title (every chunk of
 * an article whose title holds it) and in both. The writer keeps them in the transaction
 * that adds or drops the postings, so BM25's idf and `documentFrequency` are known without
 * decoding a common term's hundreds of thousands of postings; `check()` recomputes them from
 * the live postings.
 */
import type Database from 'better-sqlite3';
import { indexAnalyzer } from '../../text/analyzers.js';

/** Per term: [text rows, title rows, rows with both]. */
export type TermCounts = Map<string, [number, number, number]>;

/** Accumulates the changes one transaction makes to `term_stats`, applied at its end. */
export class TermStatsDelta {
  private readonly delta: TermCounts = new Map();

  /** Adds (`sign` 1) or subtracts (−1) an article's counts: its chunk texts and its title. */
  article(texts: readonly string[], title: string, sign: 1 | -1): void {
    if (texts.length === 0) return;
    const inTitle = new Set(indexAnalyzer.terms(title));
    for (const t of inTitle) this.bump(t, 0, texts.length * sign, 0);
    for (const text of texts) {
      for (const t of new Set(indexAnalyzer.terms(text))) this.bump(t, sign, 0, inTitle.has(t) ? sign : 0);
    }
  }

  private bump(term: string, text: number, title: number, both: number): void {
    const c = this.delta.get(term);
    if (c) {
      c[0] += text;
      c[1] += title;
      c[2] += both;
    } else this.delta.set(term, [text, title, both]);
  }

  /** Writes the accumulated changes, dropping terms no live chunk holds any more. */
  apply(db: Database.Database): void {
    const upsert = db.prepare(
      'INSERT INTO term_stats (term, text_rows, title_rows, both_rows) VALUES (?, ?, ?, ?) ON CONFLICT(term) DO UPDATE SET text_rows = text_rows + excluded.text_rows, title_rows = title_rows + excluded.title_rows, both_rows = both_rows + excluded.both_rows',
    );
    const dropEmpty = db.prepare('DELETE FROM term_stats WHERE term = ? AND text_rows = 0 AND title_rows = 0');
    for (const [term, [text, title, both]] of this.delta) {
      if (text === 0 && title === 0 && both === 0) continue;
      upsert.run(term, text, title, both);
      if (text < 0 || title < 0) dropEmpty.run(term);
    }
    this.delta.clear();
  }
}

/**
 * A term's counts from its live postings (the schema 2 → 3 upgrade and `check()`): the seqs
 * of its live text entries (one per chunk) and of its live title entries (one per article),
 * and each live article's chunk count.
 */
export function countTerm(
  textSeqs: readonly number[],
  titleSeqs: readonly number[],
  chunksOf: (seq: number) => number,
): [number, number, number] {
  let title = 0;
  const titled = new Set<number>();
  for (const s of titleSeqs) {
    title += chunksOf(s);
    titled.add(s);
  }
  let both = 0;
  for (const s of textSeqs) if (titled.has(s)) both++;
  return [textSeqs.length, title, both];
}
