/**
 * Sentence and paragraph splitting with offsets into the original text.
 *
 * `Intl.Segmenter` does the heavy lifting; a small post-pass repairs what ICU
 * gets wrong on news text (titles such as "Mr.", initials, "No. 10", month
 * abbreviations, lower-case continuations after an ellipsis or "e.g.").
 */

/** A half-open range `[start, end)` of a text. */
export interface Span {
  start: number;
  end: number;
}

const segmenter = new Intl.Segmenter('en-u-ss-standard', { granularity: 'sentence' });

/** Titles that are always followed by a name, never end a sentence. */
const TITLE_ABBREVIATIONS = new Set(
  'Mr Mrs Ms Mx Dr Prof St Mt Gen Col Lt Sgt Capt Cmdr Adm Maj Gov Sen Rep Rev Hon Pres Supt Insp Det Cllr Fr Messrs vs v approx cf ca'.split(
    ' ',
  ),
);

/** Abbreviations that only continue the sentence when a number follows ("No. 10", "Jan. 5"). */
const NUMBER_ABBREVIATIONS = new Set(
  'No Nos no Art Vol vol p pp Fig fig Ch ch Sec sec Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec'.split(' '),
);

const WHITESPACE = /\s/;
const ELLIPSIS_BREAK = /…[”"’']?\s+(?=[\p{Lu}“"])/gu;
const LAST_WORD = /([\p{L}\p{N}.]+)\.$/u;
const INITIAL = /(?:^|[\s("“‘'])\p{Lu}\.$/u;

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && WHITESPACE.test(ch);
}

/** Narrows `[start, end)` so it neither starts nor ends with white space. */
function trimSpan(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && isSpace(text[s])) s++;
  while (e > s && isSpace(text[e - 1])) e--;
  return { start: s, end: e };
}

/**
 * Whether single newlines in `text` are soft line wraps (hard-wrapped prose, as in
 * e-mail or Markdown) rather than paragraph ends. Judged once for the whole text
 * so every caller sees the same sentences: wrapped when at least three lines run
 * on into a next line and most of those lines are 40–100 characters long.
 */
export function isHardWrapped(text: string): boolean {
  let continued = 0;
  let wrapLike = 0;
  let lineStart = 0;
  let previousLength = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== 10) continue;
    const length = text.slice(lineStart, i).trim().length;
    if (previousLength > 0 && length > 0) {
      continued++;
      if (previousLength >= 40 && previousLength <= 100) wrapLike++;
    }
    previousLength = length;
    lineStart = i + 1;
  }
  return continued >= 3 && wrapLike >= continued * 0.8;
}

let cachedText: string | undefined;
let cachedWrapped = false;

function hardWrapped(text: string): boolean {
  // One-entry cache: callers split many ranges of the same article in a row.
  if (cachedText !== text) {
    cachedWrapped = isHardWrapped(text);
    cachedText = text;
  }
  return cachedWrapped;
}

/**
 * Paragraphs of `text[from, to)`, trimmed. A paragraph ends at a blank line, and
 * also at a single newline unless the text is hard-wrapped (see {@link isHardWrapped}).
 */
export function splitParagraphs(text: string, from = 0, to = text.length): Span[] {
  const wrapped = hardWrapped(text);
  const breaks = wrapped ? /\n[ \t\r\f\v]*\n\s*/g : /\n\s*/g;
  breaks.lastIndex = from;
  const spans: Span[] = [];
  let start = from;
  for (;;) {
    const match = breaks.exec(text);
    const end = match === null || match.index >= to ? to : match.index;
    const span = trimSpan(text, start, end);
    if (span.end > span.start) spans.push(span);
    if (match === null || match.index >= to) break;
    start = match.index + match[0].length;
    if (start >= to) break;
  }
  return spans;
}

/** Whether the sentence `text[a.start, a.end)` wrongly ends before `text[b.start…]`. */
function continues(text: string, a: Span, b: Span): boolean {
  const next = text[b.start] ?? '';
  // A sentence does not start with a lower-case letter: "Wait... what?", "e.g. bread".
  if (/\p{Ll}/u.test(next)) return true;
  const tail = text.slice(Math.max(a.start, a.end - 40), a.end);
  const word = LAST_WORD.exec(tail)?.[1];
  if (word !== undefined) {
    if (TITLE_ABBREVIATIONS.has(word)) return true;
    if (NUMBER_ABBREVIATIONS.has(word) && /[\p{N}#]/u.test(next)) return true;
  }
  // Initials: "J. K. Rowling".
  if (INITIAL.test(tail) && /\p{Lu}/u.test(next)) return true;
  return false;
}

/**
 * Longest stretch handed to ICU at once. ICU's sentence iterator takes time quadratic in
 * the length of some inputs ("Mr. " repeated: 50 KB took 0.5 s, 500 KB minutes), so a
 * longer paragraph is segmented in windows cut after a sentence-ending mark and white
 * space. Real paragraphs stay far below it, so their sentences are unchanged.
 */
export const MAX_SEGMENT_CHARS = 8_000;

/** Where to cut `text[start, end)` (longer than the window): after the last ". " style break in the window. */
function windowEnd(text: string, start: number, end: number): number {
  const limit = Math.min(end, start + MAX_SEGMENT_CHARS);
  if (limit === end) return end;
  for (let i = limit - 1; i > start + MAX_SEGMENT_CHARS / 2; i--) {
    if (isSpace(text[i]) && /[.!?…]/.test(text[i - 1] ?? '')) return i;
  }
  for (let i = limit - 1; i > start + MAX_SEGMENT_CHARS / 2; i--) if (isSpace(text[i])) return i;
  return limit;
}

function sentencesOfParagraph(text: string, start: number, end: number, wrapped: boolean): Span[] {
  if (end - start > MAX_SEGMENT_CHARS) {
    const out: Span[] = [];
    for (let from = start; from < end; ) {
      const to = windowEnd(text, from, end);
      out.push(...sentencesOfWindow(text, from, to, wrapped));
      from = to;
    }
    return out;
  }
  return sentencesOfWindow(text, start, end, wrapped);
}

function sentencesOfWindow(text: string, start: number, end: number, wrapped: boolean): Span[] {
  let slice = text.slice(start, end);
  // ICU always breaks at a newline; in wrapped prose a newline is just a space.
  if (wrapped) slice = slice.replace(/\n/g, ' ');
  const raw: Span[] = [];
  for (const segment of segmenter.segment(slice)) {
    const segStart = start + segment.index;
    let from = segStart;
    // ICU breaks after "..." before a capital but not after the single character "…".
    ELLIPSIS_BREAK.lastIndex = 0;
    for (let m = ELLIPSIS_BREAK.exec(segment.segment); m !== null; m = ELLIPSIS_BREAK.exec(segment.segment)) {
      const cut = segStart + m.index + m[0].length;
      const span = trimSpan(text, from, cut);
      if (span.end > span.start) raw.push(span);
      from = cut;
    }
    const span = trimSpan(text, from, segStart + segment.segment.length);
    if (span.end > span.start) raw.push(span);
  }
  const merged: Span[] = [];
  for (const span of raw) {
    const last = merged[merged.length - 1];
    if (last !== undefined && continues(text, last, span)) last.end = span.end;
    else merged.push({ ...span });
  }
  return merged;
}

/**
 * Splits `text[from, to)` into sentences: offsets into `text`, trimmed of surrounding
 * white space, never crossing a paragraph break (see {@link splitParagraphs}).
 *
 * @param text the whole text (paragraph style is judged on all of it)
 * @param from first offset to consider (default 0)
 * @param to end offset, exclusive (default `text.length`)
 */
export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const lo = Math.max(0, Math.min(from, text.length));
  const hi = Math.max(lo, Math.min(to, text.length));
  const wrapped = hardWrapped(text);
  const spans: Span[] = [];
  for (const paragraph of splitParagraphs(text, lo, hi)) {
    spans.push(...sentencesOfParagraph(text, paragraph.start, paragraph.end, wrapped));
  }
  return spans;
}
