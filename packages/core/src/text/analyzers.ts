/**
 * newsrag's two text analyzers, side by side: {@link indexAnalyzer} (what BM25 indexes and
 * queries with, in every engine) and {@link evidenceAnalyzer} (what answers use for coverage,
 * IDF, names and follow-ups). They differ on purpose:
 *
 * | | `indexAnalyzer` | `evidenceAnalyzer` |
 * |---|---|---|
 * | words | MiniSearch's split ({@link splitWords}): `77.6` → `77`, `6` | {@link tokenizeWithOffsets}: offsets kept, `77.6` and `793,000` whole |
 * | case, accents | lower-cased, accents removed | lower-cased, accents kept |
 * | stop words | ~50 function words | ~190: function words and question scaffolding ("how many", "according to", "tell me") |
 * | stemming | plurals only (`companies` → `company`) | plurals, possessives, -ing, -ed, -ly, -tion, final e |
 * | single letters | dropped (digits kept) | kept; content stems need 2 characters |
 *
 * Why: the index analyzer's output is stored (the BM25 postings of folder, SQLite and
 * PostgreSQL indexes), so it must never change, or old indexes would silently mis-score; it is
 * conservative so that exact names stay findable (`press`, `virus`, `analysis` are not
 * stemmed) and BM25's IDF already discounts common words, so a short stop list suffices. The
 * evidence analyzer is computed afresh for every question and never stored, so it can be
 * tuned: it compares a question with candidate sentences, both of which go through it, so it
 * only needs to be consistent, and it stems harder to join inflections ("feeding" meets
 * "feed", "gifts" meets "gifted") and drops the scaffolding that says nothing about *what* is
 * asked. The two meet in {@link evidenceAnalyzer}'s `lexicalQuery`, which strips the
 * scaffolding from a question but hands BM25 the surface words, for the index analyzer to
 * analyse its own way.
 *
 * Pure functions, no state.
 */
import { splitWords, type Token, tokenizeWithOffsets } from './tokenizer.js';

/** Common English function words; they carry no topic and only slow BM25 down. */
const INDEX_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by for from had has have he her his i if in into is it its ' +
    'of on or our she so than that the their them then there these they this those to was we were ' +
    'what when where which who will with would you your'
  ).split(' '),
);

/**
 * Function words and question scaffolding. They say nothing about *what* is asked,
 * so they neither count toward coverage nor go to BM25 (where they would only add noise).
 */
const EVIDENCE_STOP_WORDS: ReadonlySet<string> = new Set(
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

/**
 * Light English stemming, deliberately conservative (plurals only) so that exact
 * names stay findable: `companies`→`company`, `boxes`→`box`, `votes`→`vote`;
 * words ending in `ss`, `us`, `is` (`press`, `virus`, `analysis`) are left alone.
 */
function pluralStem(term: string): string {
  if (term.length > 4 && term.endsWith('ies')) return `${term.slice(0, -3)}y`;
  if (term.length > 4 && /(?:ss|x|z|ch|sh)es$/.test(term)) return term.slice(0, -2);
  if (term.length > 3 && term.endsWith('s') && !/(?:ss|us|is)$/.test(term)) return term.slice(0, -1);
  return term;
}

/**
 * Normalises one token for indexing and querying alike: lower-case, accents
 * removed, surrounding punctuation stripped, stop words and single letters dropped
 * (single digits are kept), then {@link pluralStem}.
 */
function normalizeIndexTerm(term: string): string | null {
  const t = term
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  if (t.length === 0 || INDEX_STOP_WORDS.has(t)) return null;
  if (t.length === 1 && !/\d/.test(t)) return null;
  return pluralStem(t);
}

/** The BM25 terms of `text`, in order, repeats kept: {@link splitWords} then {@link normalizeIndexTerm}. */
function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of splitWords(text)) {
    const t = normalizeIndexTerm(token);
    if (t) out.push(t);
  }
  return out;
}

/**
 * A field's BM25 length as MiniSearch counts it (its distinct raw tokens, before
 * {@link normalizeIndexTerm}), so every engine normalises by the same lengths.
 */
function indexFieldLength(text: string): number {
  return new Set(splitWords(text)).size;
}

/**
 * What BM25 indexes and queries with, in every engine (the folder store's MiniSearch index,
 * SQLite's and PostgreSQL's postings). Its output is stored: never change it.
 */
export const indexAnalyzer = {
  /** Splits text into raw tokens ({@link splitWords}). */
  split: splitWords,
  /** The stop words dropped from the index. */
  stopWords: INDEX_STOP_WORDS,
  /** Plural-only stemming of a normalised token. */
  stem: pluralStem,
  /** One raw token → its indexed term, or null when it is not indexed (MiniSearch's `processTerm`). */
  normalizeTerm: normalizeIndexTerm,
  /** The terms of a text, in order, repeats kept. */
  terms: indexTerms,
  /** A field's BM25 length (distinct raw tokens). */
  fieldLength: indexFieldLength,
} as const;

/**
 * A deliberately light English stemmer (plural, possessive, -ing, -ed, -ly, -ies):
 * enough to join inflections, not so aggressive that unrelated words collide.
 * Both the question and the candidate sentences go through it, so it only needs to be consistent.
 */
function evidenceStem(word: string): string {
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

/** Lower-cased tokens of a text with offsets and {@link evidenceStem}s. */
function evidenceTokens(text: string): Token[] {
  return tokenizeWithOffsets(text, evidenceStem);
}

/** True for words that carry no content (see {@link EVIDENCE_STOP_WORDS}). */
function isEvidenceStopWord(word: string): boolean {
  return EVIDENCE_STOP_WORDS.has(word) || EVIDENCE_STOP_WORDS.has(word.replace(/'s$/, ''));
}

/** The content terms (stems) of a text, each once, in order of first appearance. */
function contentStems(text: string): string[] {
  const seen = new Set<string>();
  for (const t of evidenceTokens(text)) {
    if (isEvidenceStopWord(t.word) || t.stem.length < 2) continue;
    seen.add(t.stem);
  }
  return [...seen];
}

/**
 * The question reduced to its content words, for the lexical retriever: drops
 * question scaffolding and punctuation so BM25 weighs only what matters.
 * Falls back to the original words when nothing would be left.
 */
function lexicalQuery(question: string): string {
  const words = evidenceTokens(question)
    .filter((t) => !isEvidenceStopWord(t.word))
    .map((t) => question.slice(t.start, t.end));
  return words.length > 0 ? words.join(' ') : question;
}

/**
 * What answers use to weigh evidence: the content terms of questions and sentences (coverage,
 * IDF, names, follow-up rewriting), folded to a crude stem so "feeding" meets "feed". Never
 * stored, so it may be tuned.
 */
export const evidenceAnalyzer = {
  /** Lower-cased tokens with offsets and stems. */
  tokenize: evidenceTokens,
  /** True for function words and question scaffolding. */
  isStopWord: isEvidenceStopWord,
  /** The light inflection stemmer. */
  stem: evidenceStem,
  /** The content stems of a text, each once, in order. */
  contentStems,
  /** A question without its scaffolding, as surface words for BM25. */
  lexicalQuery,
} as const;
