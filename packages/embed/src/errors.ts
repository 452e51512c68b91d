/** Codes of the errors this package throws; stable, for programs to branch on. */
export type EmbedErrorCode =
  | 'EMBED_MODEL_UNAVAILABLE'
  | 'EMBED_MODEL_INVALID'
  | 'EMBED_STANDIN_MISSING'
  | 'EMBED_BAD_OPTIONS'
  | 'EMBED_DISPOSED';

/** An error with a stable `code` and a message that tells the user what to do. */
export class EmbedError extends Error {
  override readonly name = 'EmbedError';
  constructor(
    readonly code: EmbedErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
