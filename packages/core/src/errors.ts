/** Codes of the errors `@newsrag/core` throws; stable, for programs to branch on. */
export type NewsragErrorCode =
  | 'ARTICLE_UNREADABLE' // a file could not be read or decoded
  | 'ARTICLE_EMPTY' // nothing left after extraction
  | 'ARTICLE_TOO_LARGE' // over the documented size limit
  | 'ARTICLE_BAD_FORMAT' // malformed JSON / JSONL / front matter
  | 'ARTICLE_DUPLICATE' // an id already used by another file, or the same text as another article
  | 'INDEX_NOT_FOUND' // no index in the folder (or the server cannot be reached)
  | 'INDEX_CORRUPT' // manifest/vectors/chunks inconsistent or truncated
  | 'INDEX_SCHEMA_NEWER' // written by a newer newsrag
  | 'INDEX_MODEL_MISMATCH' // built with another embedder fingerprint
  | 'INDEX_LOCKED' // another writer holds the lock
  | 'BAD_QUESTION' // empty / too long
  | 'BAD_OPTIONS' // invalid config or options
  | 'EVAL_BAD_FILE' // malformed question set
  | 'FETCH_BLOCKED' // a URL not fetched: not http(s), a private/loopback address, or robots.txt says no
  | 'FETCH_TIMEOUT' // the server did not connect or answer in time
  | 'FETCH_TOO_LARGE' // the response was over the size cap
  | 'FETCH_REDIRECTS' // too many redirects, or a redirect loop
  | 'FETCH_FAILED' // a network error or an HTTP error status
  | 'FEED_BAD_FORMAT' // a feed (or one of its items) that could not be parsed
  | 'LOG_UNREADABLE'; // a question or feedback log that could not be read

/** An error with a stable `code` and a message a user can act on (it names the file or field). */
export class NewsragError extends Error {
  override readonly name = 'NewsragError';
  /**
   * For `BAD_OPTIONS`: each invalid field with what is wrong with it (`NEWSRAG_DTYPE: …`), the
   * items the message lists, so a caller that reports its own problems too (the bot) can list
   * them without parsing the message. Empty for the other codes.
   */
  readonly problems: readonly string[];
  constructor(
    readonly code: NewsragErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: readonly string[] },
  ) {
    const { problems = [], ...errorOptions } = options ?? {};
    super(message, errorOptions);
    this.problems = Object.freeze([...problems]);
  }
}

/** An embedding model as an error message names it; what is unknown is left out. */
export interface ModelFacts {
  modelId?: string;
  dtype?: string;
  dimensions?: number;
  fingerprintId: string;
}

/** The facts of a manifest, an embedder or an index update: anything with a fingerprint. */
export function modelFacts(m: {
  fingerprint: { modelId: string; dtype: string };
  fingerprintId: string;
  dimensions?: number;
}): ModelFacts {
  return {
    modelId: m.fingerprint.modelId,
    dtype: m.fingerprint.dtype,
    dimensions: m.dimensions,
    fingerprintId: m.fingerprintId,
  };
}

/** `org/model (fp32, 384 dimensions, fingerprint ab12)`, or `fingerprint ab12` when only that is known. */
export function describeModel(m: ModelFacts): string {
  const details = [m.dtype, m.dimensions === undefined ? undefined : `${m.dimensions} dimensions`]
    .filter((d) => d !== undefined)
    .concat(`fingerprint ${m.fingerprintId}`)
    .join(', ');
  return m.modelId === undefined ? details : `${m.modelId} (${details})`;
}

/** The rebuild command the messages of an index that cannot be used end with. */
export const REBUILD_COMMAND = '`newsrag index --rebuild <articles folder>`';

/** `text` with exactly one full stop at the end (parts quote zod and system messages, which may end with one). */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * The message of every error code, built from named parameters: one wording per error, so
 * the same failure reads the same wherever it is thrown. Each message names the file, URL,
 * index or option at fault and says what to do. URLs are passed as shown to users, that is
 * without credentials (`redactUrl`).
 *
 * A table rather than one class per code (Orama's `createError(code, …)` model): the mapped
 * type below makes the compiler reject a code without a message or a message without a code,
 * and {@link newsragError} infers each code's parameters from it.
 */
const MESSAGES = {
  ARTICLE_UNREADABLE: (p: { file: string; reason: string }) => `${p.file}: ${p.reason}`,
  ARTICLE_EMPTY: (p: { source: string; problem: string }) => `${p.source}: ${p.problem}`,
  ARTICLE_TOO_LARGE: (p: { file: string; bytes: number; limit: number }) =>
    `${p.file}: ${p.bytes} bytes is over the limit of ${p.limit} bytes; split it or raise maxBytes`,
  ARTICLE_BAD_FORMAT: (p: { source: string; problem: string }) => `${p.source}: ${p.problem}`,
  ARTICLE_DUPLICATE: (p: { file: string; problem: string }) => `${p.file}: ${p.problem}`,

  /**
   * `detail` qualifies the missing index ("to copy"); `unreachable` is why a server could not
   * be asked, `engine` which server it is ("Postgres").
   */
  INDEX_NOT_FOUND: (p: { index: string; detail?: string; unreachable?: string; engine?: string }) =>
    p.unreachable !== undefined
      ? `Cannot reach the ${p.engine ? `${p.engine} ` : ''}index at ${p.index}: ${sentence(p.unreachable)} Check the URL, that the server runs, and the user's password.`
      : `There is no index in ${p.index}${p.detail ? ` ${p.detail}` : ' yet'}. Build one with \`newsrag index <articles folder>\` (or kb.index(paths)).`,
  /** `subject` names the part at fault (`Index file …/vectors.f32`, `Index table "news"."chunks" of …`). */
  INDEX_CORRUPT: (p: { subject: string; problem: string; fix: string }) =>
    `${p.subject} is unusable: ${p.problem}; ${sentence(p.fix)}`,
  /** `fix`: what to do besides upgrading (a rebuild, when that is possible). */
  INDEX_SCHEMA_NEWER: (p: { index: string; file?: string; version: number; supported: number; fix?: string }) =>
    `Index ${p.index} was built by a newer newsrag (${p.file ? `${p.file} has ` : ''}schemaVersion ${p.version}, ` +
    `this version reads ${p.supported}); upgrade newsrag${p.fix ? ` or ${p.fix}` : ''}.`,
  INDEX_MODEL_MISMATCH: (p: { index: string; built: ModelFacts; inUse: ModelFacts }) =>
    `Index ${p.index} was built with ${describeModel(p.built)}, but the model in use is ${describeModel(p.inUse)}; ` +
    'vectors of different models cannot be mixed. ' +
    `Use ${p.built.modelId ? `--model ${p.built.modelId}${p.built.dtype ? ` --dtype ${p.built.dtype}` : ''}` : 'the model that built it'}, ` +
    `or rebuild the index for the new model with ${REBUILD_COMMAND}.`,
  /** `holder` describes the other writer when known; `lost` is why this writer lost its own lock. */
  INDEX_LOCKED: (p: { index: string; holder?: string; lost?: string; fix?: string }) =>
    p.lost !== undefined
      ? `Lost the writer lock of ${p.index} while writing (${p.lost}); the index was left unchanged, run the command again.`
      : `Index ${p.index} is being written by another newsrag process${p.holder ? ` (${p.holder})` : ''}; ` +
        `wait for it to finish and try again.${p.fix ? ` ${sentence(p.fix)}` : ''}`,

  BAD_QUESTION: (p: { subject: 'question' | 'timeline topic'; problem: string }) =>
    sentence(`The ${p.subject} ${p.problem}`),
  /**
   * `subject` names the option as the caller wrote it (``Search option `k` ``, `--every 5x`,
   * `NEWSRAG_DTYPE`, a URL); `problem` is a predicate (`must be …`, `is closed`).
   */
  BAD_OPTIONS: (p: { subject: string; problem: string; fix?: string }) =>
    sentence(`${p.subject} ${p.problem}${p.fix ? `; ${p.fix}` : ''}`),
  /** `source`: the file, with its line when the problem is on one. */
  EVAL_BAD_FILE: (p: { source: string; problem: string }) => sentence(`${p.source}: ${p.problem}`),

  FETCH_BLOCKED: (p: { url: string; reason: string }) => `${p.url}: ${p.reason}`,
  FETCH_TIMEOUT: (p: { url: string; phase: 'connect' | 'answer'; seconds: number }) =>
    p.phase === 'connect'
      ? `${p.url}: could not connect within ${p.seconds} s`
      : `${p.url}: no complete answer within ${p.seconds} s`,
  FETCH_TOO_LARGE: (p: { url: string; limit: number; detail: string }) =>
    `${p.url}: over the ${p.limit}-byte response limit (${p.detail}); not read`,
  /** `loopTo`: the URL a redirect came back to; else there were more than `limit`. */
  FETCH_REDIRECTS: (p: { url: string; loopTo?: string; limit?: number }) =>
    p.loopTo !== undefined
      ? `${p.url}: redirect loop (back to ${p.loopTo})`
      : `${p.url}: more than ${p.limit} redirects`,
  FETCH_FAILED: (p: { url: string; problem: string }) => `${p.url}: ${p.problem}`,
  /** `source`: the feed, with the item when one item is at fault. */
  FEED_BAD_FORMAT: (p: { source: string; problem: string }) => `${p.source}: ${p.problem}`,

  LOG_UNREADABLE: (p: { log: string; file: string; reason: string }) =>
    `Cannot read the ${p.log} ${p.file}: ${p.reason}`,
} satisfies { [C in NewsragErrorCode]: (params: never) => string };

/** The named parameters the message of `code` is built from. */
export type NewsragErrorParams<C extends NewsragErrorCode> = Parameters<(typeof MESSAGES)[C]>[0];

/**
 * The error `code` with its one message, built from `params`; throw it or pass it on.
 *
 * @example throw newsragError('INDEX_LOCKED', { index: dir, holder: 'process 42' });
 */
export function newsragError<C extends NewsragErrorCode>(
  code: C,
  params: NewsragErrorParams<C>,
  options?: { cause?: unknown },
): NewsragError {
  // The table's entry for C takes NewsragErrorParams<C>; TypeScript cannot follow a generic index into a union of functions.
  const message = (MESSAGES[code] as (p: NewsragErrorParams<C>) => string)(params);
  return new NewsragError(code, message, options);
}
