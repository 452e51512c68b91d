/** Codes of the errors `@newsrag/core` throws; stable, for programs to branch on. */
export type NewsragErrorCode =
  | 'ARTICLE_UNREADABLE' // a file could not be read or decoded
  | 'ARTICLE_EMPTY' // nothing left after extraction
  | 'ARTICLE_TOO_LARGE' // over the documented size limit
  | 'ARTICLE_BAD_FORMAT' // malformed JSON / JSONL / front matter
  | 'INDEX_NOT_FOUND' // no index in the folder
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
  constructor(
    readonly code: NewsragErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
