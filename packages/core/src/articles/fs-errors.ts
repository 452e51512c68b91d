import { clip } from '../excerpt.js';

/** A file-system error as a short reason a user can act on; `path` is the name it happened on. */
export function errorReason(error: unknown, path?: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      // A name that is not UTF-8 reaches us with U+FFFD in place of its bytes, so it cannot be opened by that name.
      if (path?.includes('\uFFFD')) return 'its name is not valid UTF-8, so it cannot be opened; rename it';
      return 'the file does not exist (or disappeared while reading)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'ENOTREGULAR':
      return 'not a regular file (a FIFO, device or socket); skipped';
    default:
      // A parser's message may quote the input: keep it short.
      return clip((error as Error | undefined)?.message ?? String(error), 200);
  }
}
