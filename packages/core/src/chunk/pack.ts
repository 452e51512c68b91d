import { bodyStart } from '../articles/body.js';
import { newsragError } from '../errors.js';
import type { Article, Chunk } from '../types.js';
import { headerText } from './header.js';
import { splitParagraphs, splitSentences } from './sentences.js';

/** How to cut an article into chunks. */
export interface ChunkOptions {
  /** Tokens of a text as the embedder counts them, special tokens included. */
  countTokens: (text: string) => number;
  /** Hard limit for the embedded form (header + text) of a chunk, e.g. the model's maximum. */
  maxTokens: number;
  /** Tokens to aim for (default 160, never above `maxTokens`). */
  targetTokens?: number;
  /** Sentences repeated at the start of the next chunk (default 1). */
  overlapSentences?: number;
  /** Hard limit on a chunk's characters (default 1200: longer passages fail the evaluation rules). */
  maxChars?: number;
}

/** A packable piece of the body: a sentence, or a word-boundary piece of an over-long one. */
interface Unit {
  start: number;
  end: number;
  /** Tokens without the special tokens. */
  tokens: number;
  /** First unit of a paragraph: a good place to start a chunk. */
  paragraphStart: boolean;
}

function checkOptions(options: ChunkOptions): Required<ChunkOptions> {
  const { countTokens, maxTokens } = options;
  const targetTokens = options.targetTokens ?? 160;
  const overlapSentences = options.overlapSentences ?? 1;
  const maxChars = options.maxChars ?? 1200;
  const positiveInt = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) {
      throw newsragError('BAD_OPTIONS', {
        subject: `Chunk option \`${name}\``,
        problem: `must be an integer ≥ ${min}, got ${value}`,
      });
    }
  };
  if (typeof countTokens !== 'function') {
    throw newsragError('BAD_OPTIONS', {
      subject: 'Chunk option `countTokens`',
      problem: 'must be a function (text) => number',
    });
  }
  positiveInt('maxTokens', maxTokens, 1);
  positiveInt('targetTokens', targetTokens, 1);
  positiveInt('overlapSentences', overlapSentences, 0);
  positiveInt('maxChars', maxChars, 1);
  return { countTokens, maxTokens, targetTokens: Math.min(targetTokens, maxTokens), overlapSentences, maxChars };
}

/** Offset just after the code point that starts at or before `pos` (never splits a surrogate pair). */
function codePointBoundary(text: string, pos: number): number {
  const code = text.charCodeAt(pos - 1);
  return code >= 0xd800 && code <= 0xdbff ? pos + 1 : pos;
}

/**
 * Splits `text[start, end)`, a sentence too long for one chunk, at word boundaries
 * into pieces of at most `budget` tokens (without specials) and `maxChars` characters.
 * Each piece is found by binary search over the word boundaries of a `maxChars` window,
 * so the cost is O(log words) token counts per piece, whatever the sentence's length.
 */
function splitLong(
  text: string,
  start: number,
  end: number,
  budget: number,
  maxChars: number,
  count: (s: string) => number,
): Unit[] {
  const units: Unit[] = [];
  let pos = start;
  while (pos < end) {
    const limit = Math.min(end, pos + maxChars);
    const cuts: number[] = [];
    for (let p = pos + 1; p < limit; p++) {
      if (/\s/.test(text[p] ?? '') && !/\s/.test(text[p - 1] ?? '')) cuts.push(p);
    }
    if (limit === end || /\s/.test(text[limit] ?? '')) cuts.push(limit);
    let best = -1;
    let bestTokens = 0;
    let lo = 0;
    let hi = cuts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const tokens = count(text.slice(pos, cuts[mid]));
      if (tokens <= budget) {
        best = mid;
        bestTokens = tokens;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let cut: number;
    if (best >= 0) cut = cuts[best] as number;
    else {
      // No word boundary fits (one enormous "word", e.g. a URL or base64): cut by characters.
      let a = pos + 1;
      let b = limit;
      cut = pos + 1;
      while (a <= b) {
        const mid = (a + b) >> 1;
        const tokens = count(text.slice(pos, mid));
        if (tokens <= budget) {
          cut = mid;
          bestTokens = tokens;
          a = mid + 1;
        } else b = mid - 1;
      }
      cut = Math.min(codePointBoundary(text, cut), end);
      bestTokens = count(text.slice(pos, cut));
    }
    units.push({ start: pos, end: cut, tokens: bestTokens, paragraphStart: false });
    pos = cut;
    while (pos < end && /\s/.test(text[pos] ?? '')) pos++;
  }
  return units;
}

/**
 * Cuts an article's body into chunks of whole sentences for embedding.
 *
 * - The budget counts the embedded form, header included (`headerText(article.meta)`).
 *   Chunks aim at `targetTokens` and never exceed `maxTokens` or `maxChars`.
 * - Consecutive chunks share `overlapSentences` sentences, unless the shared sentences
 *   would take more than half the target (then chunks just follow each other).
 * - A chunk ends at a paragraph break instead of mid-paragraph when it is at least half full.
 * - A sentence too long for one chunk is cut at word boundaries.
 * - The title line and a `date …` marker at the top are left out (see `bodyStart`);
 *   `start`/`end` are offsets into the full `article.text`.
 *
 * Each sentence is counted once; a chunk's count is the header's plus its sentences'
 * (exact for WordPiece tokenizers, which split at white space), re-counted exactly
 * when it comes within 10% of `maxTokens`.
 *
 * @throws NewsragError `BAD_OPTIONS` for invalid options or a header that leaves no room.
 */
export function chunkArticle(article: Article, options: ChunkOptions): Chunk[] {
  const { countTokens, maxTokens, targetTokens, overlapSentences, maxChars } = checkOptions(options);
  const { text } = article;
  const header = headerText(article.meta);
  const specials = countTokens('');
  const headerTokens = countTokens(header);
  const target = targetTokens;
  const budget = Math.max(target, Math.min(maxTokens, headerTokens + 8)) - headerTokens;
  if (budget < 1) {
    throw newsragError('BAD_OPTIONS', {
      subject: `Chunk option \`maxTokens\` (${maxTokens})`,
      problem: `leaves no room for text after the ${headerTokens}-token header of article ${article.id}`,
      fix: 'raise it',
    });
  }
  const limit = headerTokens + budget;
  const bodyTokens = (s: string) => countTokens(s) - specials;

  const collect = (from: number): Unit[] => {
    const units: Unit[] = [];
    for (const paragraph of splitParagraphs(text, from)) {
      let first = true;
      for (const sentence of splitSentences(text, paragraph.start, paragraph.end)) {
        const tokens =
          sentence.end - sentence.start <= maxChars ? bodyTokens(text.slice(sentence.start, sentence.end)) : Infinity;
        const pieces =
          tokens <= budget
            ? [{ start: sentence.start, end: sentence.end, tokens, paragraphStart: false }]
            : splitLong(text, sentence.start, sentence.end, budget, maxChars, bodyTokens);
        for (const piece of pieces) {
          piece.paragraphStart = first;
          first = false;
          units.push(piece);
        }
      }
    }
    return units;
  };
  let units = collect(bodyStart(article));
  // An article that is nothing but a title still gets one chunk.
  if (units.length === 0) units = collect(0);

  const chunks: Chunk[] = [];
  const n = units.length;
  let i = 0;
  // First unit not already in the previous chunk: every chunk must add at least it.
  let fresh = 0;
  while (i < n) {
    const first = units[i] as Unit;
    let tokens = headerTokens;
    let j = i;
    while (j < n) {
      const unit = units[j] as Unit;
      if (j > i && (tokens + unit.tokens > limit || unit.end - first.start > maxChars)) break;
      tokens += unit.tokens;
      j++;
    }
    if (j < n && !(units[j] as Unit).paragraphStart) {
      // Prefer ending at the latest paragraph break that leaves the chunk at least half full.
      let t = tokens;
      for (let k = j - 1; k > Math.max(i, fresh); k--) {
        t -= (units[k] as Unit).tokens;
        if ((units[k] as Unit).paragraphStart) {
          if (t >= target / 2) {
            j = k;
            tokens = t;
          }
          break;
        }
      }
    }
    let end = (units[j - 1] as Unit).end;
    if (tokens >= maxTokens * 0.9) {
      // Close to the hard limit: trust only an exact count of the embedded form.
      tokens = countTokens(header + text.slice(first.start, end));
      while (tokens > maxTokens && j - 1 > Math.max(i, fresh)) {
        j--;
        end = (units[j - 1] as Unit).end;
        tokens = countTokens(header + text.slice(first.start, end));
      }
      if (tokens > maxTokens && i < fresh) {
        // The estimate let the overlap in, the exact count does not: start this chunk without it.
        i = fresh;
        continue;
      }
    }
    const ordinal = chunks.length;
    chunks.push({
      id: `${article.id}#${ordinal}`,
      articleId: article.id,
      ordinal,
      start: first.start,
      end,
      text: text.slice(first.start, end),
      tokens,
    });
    if (j >= n) break;
    fresh = j;
    let next = j;
    if (overlapSentences > 0) {
      const candidate = Math.max(i + 1, j - overlapSentences);
      let shared = 0;
      for (let k = candidate; k < j; k++) shared += (units[k] as Unit).tokens;
      const following = units[j] as Unit;
      if (
        candidate < j &&
        shared <= target / 2 &&
        headerTokens + shared + following.tokens <= limit &&
        following.end - (units[candidate] as Unit).start <= maxChars
      ) {
        next = candidate;
      }
    }
    i = next;
  }
  return chunks;
}
