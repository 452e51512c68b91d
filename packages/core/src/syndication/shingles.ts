/**
 * Text → the set of word shingles near-duplicate detection compares. Pure functions.
 *
 * Normalisation makes the copies a wire story goes through compare equal: Unicode NFKC,
 * lower case, accents dropped, every run of punctuation or whitespace a word break (so
 * "$100m-share" and "$100m share", curly and straight quotes, re-wrapped lines all give the
 * same words). Shingles are taken inside each paragraph, never across a paragraph break, so
 * re-ordering, dropping or adding whole paragraphs leaves the other paragraphs' shingles
 * exactly as they were.
 */

import { fmix32, hashString } from './hash.js';

/**
 * Words per shingle. Of 3, 4 and 5 tried on the BBC corpus, 4 left the widest gap between the
 * listed duplicate pairs and the most similar unlisted ones (see `threshold.ts` for the figures).
 */
export const SHINGLE_WORDS = 4;

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;
const NON_ASCII = /[^ -~\t\n\r]/;

/** The words of `text`, normalised (see the module comment). */
export function normalisedWords(text: string): string[] {
  // Printable ASCII needs no Unicode folding, and most English news is that.
  const folded = !NON_ASCII.test(text)
    ? text.toLowerCase()
    : text.normalize('NFKD').replace(MARKS, '').normalize('NFKC').toLowerCase();
  return folded.match(WORD) ?? [];
}

/** Paragraphs: blocks separated by a blank line, or single lines when the text has no blank line. */
export function paragraphs(text: string): string[] {
  const blocks = text.split(/\r?\n[ \t]*\r?\n/);
  const parts = blocks.length > 1 ? blocks : text.split(/\r?\n/);
  return parts.filter((p) => p.trim() !== '');
}

/**
 * Removes the headline from the top of `text` when the text repeats it (a `.txt` article's
 * first line is its title): syndicated copies change headlines, the body is what they share.
 */
export function withoutHeadline(text: string, title: string | undefined): string {
  if (!title) return text;
  const t = title.trim();
  const body = text.replace(/^\s+/, '');
  if (t === '' || !body.startsWith(t)) return text;
  const rest = body.slice(t.length);
  return /^\s*(\n|$)/.test(rest) ? rest : text;
}

/**
 * The distinct word shingles of `text` (`size` consecutive normalised words inside one
 * paragraph), each as a 32-bit hash of its words: the hashes are what MinHash needs, and
 * hashing words once instead of building every shingle string is ~2× faster. A paragraph
 * shorter than `size` words is one shingle.
 */
export function shingleHashes(text: string, size = SHINGLE_WORDS): Set<number> {
  const out = new Set<number>();
  for (const paragraph of paragraphs(text)) {
    const words = normalisedWords(paragraph).map(hashString);
    if (words.length === 0) continue;
    const last = Math.max(0, words.length - size);
    for (let i = 0; i <= last; i++) {
      let h = 0x9747b28c;
      const end = Math.min(words.length, i + size);
      for (let j = i; j < end; j++) h = Math.imul(h ^ (words[j] as number), 0x5bd1e995) ^ (h >>> 15);
      out.add(fmix32(h ^ (end - i)));
    }
  }
  return out;
}
