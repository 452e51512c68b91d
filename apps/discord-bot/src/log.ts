/** A minimal logger that scrubs secrets (the bot token) from everything it writes. */
export interface Logger {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

const REDACTED = '[redacted]';

/** Replaces every occurrence of each secret in `text`. Pure. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Formats an error with its cause chain, for a log line. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const head = `${error.name}${code !== undefined ? ` [${String(code)}]` : ''}: ${error.message}`;
    const stack = error.stack?.split('\n').slice(1, 6).join('\n') ?? '';
    const cause = error.cause !== undefined ? `\ncaused by ${describeError(error.cause)}` : '';
    return `${head}${stack ? `\n${stack}` : ''}${cause}`;
  }
  return String(error);
}

/**
 * Creates a logger writing to `sink` (default: stderr) with `secrets` removed from
 * messages and errors, so a token inside an error message never reaches a log. With `tag`,
 * every line says whose it is (`[shard 1/2]`): shard processes share their manager's stderr.
 */
export function createLogger(
  options: { secrets?: readonly string[]; sink?: (line: string) => void; tag?: string } = {},
): Logger {
  const secrets = options.secrets ?? [];
  const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tag = options.tag ? ` [${options.tag}]` : '';
  const write = (level: string, message: string, error?: unknown) => {
    const detail = error === undefined ? '' : ` ${describeError(error)}`;
    sink(redact(`${new Date().toISOString()} ${level}${tag} ${message}${detail}`, secrets));
  };
  return {
    info: (m) => write('info', m),
    warn: (m, e) => write('warn', m, e),
    error: (m, e) => write('error', m, e),
  };
}
