/**
 * Follow-up questions rewritten into standalone retrieval queries, without a language model.
 *
 * "What did Kim give him in return?" after "What car did Putin give Kim?" retrieves nothing
 * useful on its own: "him" is Putin, "in return" for the car. The rewrite keeps the user's
 * words and appends the subjects of the turn it refers to (its names and content words), so
 * both retrievers see them; the date range of that turn is carried unless the new question
 * names its own time ("and in 2023?"); the articles that turn cited are handed on as a boost.
 *
 * A question is a follow-up when it leans on the conversation: an anaphor ("he", "it",
 * "that", "there", "then", "one"), a leading "and / but / what about", or too few content
 * words to stand alone. One that introduces a name the conversation never had, without an
 * anaphor, starts afresh, as does one with enough content words of its own.
 *
 * Pure functions. Compared with a part-of-speech tagger (compromise 14, which extracts noun
 * phrases and pronouns): the carried words feed BM25 and the embedder as keywords, where a
 * carried verb ("sign", "visit") helps as much as a noun, so tagging would add a 2.5 MB
 * dependency without changing what is carried.
 */
import { evidenceAnalyzer } from '../text/analyzers.js';
import type { SearchOptions } from '../types.js';
import type { ContextFrom, ConversationTurn, FollowUp } from './types.js';

/** Bounds of a rewrite (see {@link FOLLOW_UP_LIMITS}). */
export interface FollowUpLimits {
  readonly lookBack: number;
  readonly carriedWords: number;
  readonly standaloneContentWords: number;
}

/** Bounds of the rewrite (documented with `rewriteFollowUp`). */
export const FOLLOW_UP_LIMITS: FollowUpLimits = {
  /** Turns looked back at for a name the question shares; past them the latest turn is used. */
  lookBack: 4,
  /**
   * Words carried at most (names first, then the newest), so a long chain cannot grow the query
   * without end. With the preferred-article boost (`DEFAULTS.search.preferRanks`), follow-up
   * hit@1 / hit@3 on `data/eval/followups.dev.jsonl` over the seeds (all-MiniLM-L6-v2 q8):
   *
   * | carried \ boost | 0           | 1               | 2           | 3           | 6           |
   * |-----------------|-------------|-----------------|-------------|-------------|-------------|
   * | 3               | 0.63 / 0.87 |                 |             | 0.67 / 0.87 | 0.67 / 0.87 |
   * | 5               | 0.60 / 0.97 | **0.70 / 0.97** | 0.70 / 0.93 | 0.70 / 0.90 | 0.70 / 0.90 |
   * | 6               |             | 0.67 / 0.97     | 0.67 / 0.93 |             |             |
   * | 8               | 0.63 / 0.93 |                 |             | 0.67 / 0.90 | 0.67 / 0.90 |
   */
  carriedWords: 5,
  /** With no anaphor and at least this many content words of its own, a question stands alone. */
  standaloneContentWords: 4,
};

/** Words that point back into the conversation. */
const ANAPHORS = new Set(
  (
    'he him his himself she her hers herself it its itself they them their theirs themselves ' +
    'that this those these there then one ones same former latter'
  ).split(' '),
);

/** Openings that continue the previous question ("and in 2023?", "what about Kim?"). */
const CONTINUATION = /^(?:and|but|also|so|then|what about|how about|same for|and what about)\b/i;

/** Words that look like names at the start of a question but are only its scaffolding. */
const QUESTION_OPENERS = new Set(
  'what who whom whose which when where why how is are was were did does do can could would will should has have had and but so also then tell'.split(
    ' ',
  ),
);

/** A year or a month name: the question names its own time. */
const OWN_TIME =
  /\b(?:1[89]\d\d|20\d\d|january|february|march|april|june|july|august|september|october|november|december|last year|this year|next year|yesterday|today)\b/i;

/** A capitalised word (after the first token) or a run of them: the names of a text. Pure. */
export function namesOf(text: string): string[] {
  const out: string[] = [];
  const tokens = evidenceAnalyzer.tokenize(text);
  let run: string[] = [];
  let lastEnd = -1;
  const flush = () => {
    if (run.length > 0) out.push(run.join(' '));
    run = [];
  };
  tokens.forEach((t, i) => {
    const surface = text.slice(t.start, t.end);
    const capitalised = /^\p{Lu}/u.test(surface);
    const opener = i === 0 && QUESTION_OPENERS.has(t.word);
    const adjacent = lastEnd >= 0 && /^[\s-]*$/.test(text.slice(lastEnd, t.start));
    if (capitalised && !opener && !(i === 0 && evidenceAnalyzer.isStopWord(t.word))) {
      if (!adjacent) flush();
      run.push(surface);
    } else flush();
    lastEnd = t.end;
  });
  flush();
  return [...new Set(out)];
}

/** Content words of a text (surface forms, each stem once, in order). */
function contentWords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of evidenceAnalyzer.tokenize(text)) {
    if (evidenceAnalyzer.isStopWord(t.word) || t.stem.length < 2 || seen.has(t.stem)) continue;
    seen.add(t.stem);
    out.push(text.slice(t.start, t.end));
  }
  return out;
}

/** Whether a question leans on what came before (see the module comment). Pure. */
export function leansOnContext(
  question: string,
  knownStems: ReadonlySet<string>,
  standaloneContentWords: number = FOLLOW_UP_LIMITS.standaloneContentWords,
): boolean {
  const tokens = evidenceAnalyzer.tokenize(question);
  const anaphor = tokens.some((t) => ANAPHORS.has(t.word));
  if (anaphor || CONTINUATION.test(question.trim())) return true;
  const newName = namesOf(question).some((name) =>
    evidenceAnalyzer.tokenize(name).some((t) => !knownStems.has(t.stem)),
  );
  if (newName) return false;
  return contentWords(question).length < standaloneContentWords;
}

function queryOf(turn: ConversationTurn): string {
  return turn.query ?? turn.question;
}

/**
 * Rewrites `question` against the conversation's earlier `turns` (oldest first).
 *
 * - A question that stands alone (see {@link leansOnContext}), or the first of a conversation,
 *   is returned as it is with `contextFrom: null`.
 * - Otherwise the turn it refers to is the latest, unless the question names someone the latest
 *   turn does not and one of the last {@link FOLLOW_UP_LIMITS}`.lookBack` turns does (the newest
 *   such turn is taken then); its
 *   names and content words that the question lacks are appended (at most `carriedWords`,
 *   names first), its date range is carried unless the question names a year, month or
 *   "last year" of its own, and the articles it and the latest turn cited become
 *   `preferArticleIds`.
 */
export function rewriteFollowUp(
  turns: readonly ConversationTurn[],
  question: string,
  limits: FollowUpLimits = FOLLOW_UP_LIMITS,
): FollowUp {
  const asked = question.replace(/\s+/g, ' ').trim();
  const alone: FollowUp = { question: asked, query: asked, contextFrom: null, carried: [], preferArticleIds: [] };
  if (turns.length === 0) return alone;
  const recent = turns.slice(-limits.lookBack);
  const known = new Set(recent.flatMap((t) => evidenceAnalyzer.tokenize(queryOf(t)).map((x) => x.stem)));
  if (!leansOnContext(asked, known, limits.standaloneContentWords)) return alone;

  // The latest turn, unless the question names someone or something only an earlier one named:
  // a shared common word ("cars") is too weak a sign to skip the turn just before.
  const ownNames = new Set(namesOf(asked).flatMap((n) => evidenceAnalyzer.tokenize(n).map((t) => t.stem)));
  const namesIn = (turn: ConversationTurn) =>
    new Set(namesOf(queryOf(turn)).flatMap((n) => evidenceAnalyzer.tokenize(n).map((t) => t.stem)));
  const offset = turns.length - recent.length;
  let index = turns.length - 1;
  const shares = (turn: ConversationTurn) => [...namesIn(turn)].some((s) => ownNames.has(s));
  if (ownNames.size > 0 && !shares(turns[index] as ConversationTurn)) {
    for (let i = recent.length - 2; i >= 0; i -= 1) {
      if (shares(recent[i] as ConversationTurn)) {
        index = offset + i;
        break;
      }
    }
  }
  const source = turns[index] as ConversationTurn;
  const carried = carriedWords(queryOf(source), asked, limits.carriedWords);
  const latest = turns[turns.length - 1] as ConversationTurn;
  const preferArticleIds = [...new Set([...source.citedArticleIds, ...latest.citedArticleIds])];
  const contextFrom: ContextFrom = { turn: index, question: source.question };
  const out: FollowUp = {
    question: asked,
    query: carried.length > 0 ? `${asked} ${carried.join(' ')}` : asked,
    contextFrom,
    carried,
    preferArticleIds,
  };
  const frame = source.timeFrame;
  if (frame && (frame.dateFrom || frame.dateTo) && !OWN_TIME.test(asked)) out.timeFrame = { ...frame };
  return out;
}

/** The names, then the content words, of `from` that `question` does not already have. */
function carriedWords(from: string, question: string, max: number): string[] {
  const have = new Set(evidenceAnalyzer.tokenize(question).map((t) => t.stem));
  const out: string[] = [];
  const add = (words: string) => {
    // A name keeps its words together ("North Korea"), less those already there.
    const fresh = evidenceAnalyzer
      .tokenize(words)
      .filter((t) => !have.has(t.stem) && !evidenceAnalyzer.isStopWord(t.word));
    if (fresh.length === 0) return;
    for (const t of fresh) have.add(t.stem);
    out.push(fresh.map((t) => words.slice(t.start, t.end)).join(' '));
  };
  for (const name of namesOf(from)) add(name);
  for (const word of contentWords(from)) add(word);
  return out.slice(0, max);
}

/**
 * The search options a follow-up runs with: the caller's, plus its preferred articles and its
 * carried date range (only when the caller's filter sets no date range of its own). Pure.
 */
export function followUpSearchOptions<T extends SearchOptions>(followUp: FollowUp, options: T): T {
  const out: T = { ...options };
  if (followUp.preferArticleIds.length > 0)
    out.preferArticles = [...new Set([...(options.preferArticles ?? []), ...followUp.preferArticleIds])];
  const own = options.filter;
  if (followUp.timeFrame && own?.dateFrom === undefined && own?.dateTo === undefined) {
    out.filter = { ...own, ...followUp.timeFrame };
  }
  return out;
}
