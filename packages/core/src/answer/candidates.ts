import { coverage } from '../text/coverage.js';
import type { IdfTable } from '../text/idf.js';
import { sentenceSpansOf } from '../text/memo.js';
import type { Passage } from '../types.js';

/** A sentence of a retrieved passage that might be quoted. */
export interface CandidateSentence {
  /** Index into the passages it came from (0 = best passage). */
  passageIndex: number;
  passage: Passage;
  /** Offsets in the article's text: `article.text.slice(start, end) === text`. */
  start: number;
  end: number;
  text: string;
  /** Position of the sentence within its passage (0-based). */
  ordinal: number;
}

/** Sentences shorter than this (in letters/digits) are headers, bylines or fragments, not answers. */
const MIN_SENTENCE_CHARS = 12;

/**
 * The quotable sentences of the first `maxPassages` passages, with offsets into the
 * article's text. `splitSentences` returns trimmed spans of the passage text, so
 * `passage.start + span.start` keeps quotes verbatim. A sentence that two overlapping
 * passages share is kept once, with the better-ranked passage.
 */
export function candidateSentences(passages: readonly Passage[], maxPassages: number): CandidateSentence[] {
  const out: CandidateSentence[] = [];
  const seen = new Set<string>();
  passages.slice(0, maxPassages).forEach((passage, passageIndex) => {
    sentenceSpansOf(passage.text).forEach((span, ordinal) => {
      const text = passage.text.slice(span.start, span.end);
      if (text.replace(/[^\p{L}\p{N}]/gu, '').length < MIN_SENTENCE_CHARS) return;
      const start = passage.start + span.start;
      const key = `${passage.articleId}\u0000${start}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ passageIndex, passage, start, end: passage.start + span.end, text, ordinal });
    });
  });
  return out;
}

/**
 * Two sentences are "the same place" when they come from one article and overlap or
 * are neighbours in the same passage; a second quote must come from elsewhere.
 */
export function samePlace(a: CandidateSentence, b: CandidateSentence): boolean {
  if (a.passage.articleId !== b.passage.articleId) return false;
  if (a.start < b.end && b.start < a.end) return true;
  return a.passage.chunkId === b.passage.chunkId && Math.abs(a.ordinal - b.ordinal) <= 1;
}

/**
 * The candidates worth embedding: every sentence of the first `fromPassage` passages, and
 * from the rest only sentences holding at least one question term. A sentence that shares
 * no term with the question and comes from a low-ranked passage has no coverage and little
 * rank prior, so it could only win on cosine alone; embedding it is most of the answer
 * stage's cost (see `DEFAULTS.answer.pool` in config.ts for what was measured).
 */
export function worthEmbedding(
  candidates: readonly CandidateSentence[],
  idf: IdfTable,
  fromPassage: number,
): CandidateSentence[] {
  return candidates.filter((c) => c.passageIndex < fromPassage || coverage(idf, c.text) > 0);
}
