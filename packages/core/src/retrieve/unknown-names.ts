import type { IndexReader } from '../store/contract.js';
import { evidenceAnalyzer } from '../text/analyzers.js';
import { documentFrequencyOf, type IdfTable } from '../text/idf.js';

/**
 * Names in a question that no indexed passage contains: capitalised words that do not start
 * a sentence ("Refco", "MySpace", "Arctic Monkeys"), looked up in the lexical index.
 *
 * A question about a company, band or person the archive never mentions cannot be answered
 * from it, however close the nearest passage looks: on the BBC dev set this declines 3 of the
 * 5 unanswerable questions, and no answerable one (their absent words are ordinary ones such as
 * "utilised" or "shredder", which paraphrases may use freely). Ordinary words are therefore
 * never counted, only names; needs a reader with `documentFrequency` (no search per word).
 */
export function unknownNames(reader: IndexReader, question: string): string[] {
  if (!reader.documentFrequency) return [];
  const out: string[] = [];
  for (const t of evidenceAnalyzer.tokenize(question)) {
    const raw = question.slice(t.start, t.end);
    if (t.numeric || raw.length < 3 || !/^\p{Lu}/u.test(raw) || evidenceAnalyzer.isStopWord(t.word)) continue;
    if (startsSentence(question, t.start)) continue;
    if (documentFrequencyOf(reader, t.word) === 0 && !out.includes(raw)) out.push(raw);
  }
  return out;
}

/** Whether only white space, quotes or brackets stand between `at` and the text's start or a sentence end. */
function startsSentence(text: string, at: number): boolean {
  const before = text.slice(0, at).replace(/[\s"'“‘([]+$/u, '');
  return before === '' || /[.!?:]$/.test(before);
}

/**
 * The question's names (capitalised content words that do not start a sentence: "Liverpool",
 * "Milan", "Istanbul") with their IDF weights, as a table `coverage` can score: the things a
 * passage must be about, rather than words a paraphrase may replace.
 */
export function questionNames(question: string, idf: IdfTable): IdfTable {
  const out = new Map<string, number>();
  for (const t of evidenceAnalyzer.tokenize(question)) {
    const raw = question.slice(t.start, t.end);
    if (t.numeric || !/^\p{Lu}/u.test(raw) || evidenceAnalyzer.isStopWord(t.word) || startsSentence(question, t.start))
      continue;
    const w = idf.get(t.stem);
    if (w !== undefined) out.set(t.stem, w);
  }
  return out;
}
