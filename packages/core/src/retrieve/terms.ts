/**
 * Content terms of questions and sentences: the words that carry meaning, folded
 * to a crude stem so "feeding" meets "feed" and "gifts" meets "gifted". Pure functions.
 */

/**
 * Function words and question scaffolding. They say nothing about *what* is asked,
 * so they neither count toward coverage nor go to BM25 (where they would only add noise).
 */
const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing done down during each either else ever few for from ' +
    'further get gets got had has have having he her here hers herself him himself his how however i if in ' +
    'into is it its itself just least let like may me might more most much must my myself neither no nor not ' +
    'now of off on once one only or other ought our ours ourselves out over own per quite rather really said ' +
    'same say says shall she should since so some such than that the their theirs them themselves then there ' +
    'these they this those though through thus to too under until up upon us very via was we were what ' +
    'whatever when whenever where whereas whether which while who whom whose why will with within without ' +
    'would yet you your yours yourself yourselves ' +
    // question scaffolding: "how many", "according to", "tell me", "roughly"
    "many according approximately roughly around exactly tell name named kind sort type 's"
  ).split(' '),
);

/** A token of a text with its stem; `start`/`end` are offsets in the text. */
export interface Term {
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

/** Splits text into lower-cased tokens with offsets. Punctuation and emoji are skipped. */
export function tokenize(text: string): Term[] {
  const out: Term[] = [];
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

/** True for words that carry no content (see {@link STOPWORDS}). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word) || STOPWORDS.has(word.replace(/'s$/, ''));
}

/**
 * A deliberately light English stemmer (plural, possessive, -ing, -ed, -ly, -ies):
 * enough to join inflections, not so aggressive that unrelated words collide.
 * Both the question and the candidate sentences go through it, so it only needs to be consistent.
 */
export function stem(word: string): string {
  let w = word.replace(/'s$|'$/, '');
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  // "inspection"→"inspect", "election"→"elect" (only -tion: "-ion" alone would make "billion" a "bill").
  if (w.endsWith('tion') && w.length > 6) w = w.slice(0, -3);
  else if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  else if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  // A final e goes too, so "share"/"shared"/"sharing" all become "shar".
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** "stopp" → "stop", "runn" → "run"; keeps "ll"/"ss"/"zz" endings ("call", "pass"). */
function undouble(w: string): string {
  const last = w.at(-1);
  if (w.length > 3 && last && last === w.at(-2) && !'lsz'.includes(last)) return w.slice(0, -1);
  return w;
}

/** The content terms (stems) of a text, each once, in order of first appearance. */
export function contentStems(text: string): string[] {
  const seen = new Set<string>();
  for (const t of tokenize(text)) {
    if (isStopword(t.word) || t.stem.length < 2) continue;
    seen.add(t.stem);
  }
  return [...seen];
}

/**
 * The question reduced to its content words, for the lexical retriever: drops
 * question scaffolding and punctuation so BM25 weighs only what matters.
 * Falls back to the original words when nothing would be left.
 */
export function lexicalQuery(question: string): string {
  const words = tokenize(question)
    .filter((t) => !isStopword(t.word))
    .map((t) => question.slice(t.start, t.end));
  return words.length > 0 ? words.join(' ') : question;
}
