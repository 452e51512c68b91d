import { type NewsragError, newsragError, REBUILD_COMMAND } from '../errors.js';

/** What to tell a user whose index cannot be used. */
export function rebuildHint(dir: string): string {
  return `rebuild it with ${REBUILD_COMMAND} (or delete ${dir} and index again)`;
}

/** INDEX_CORRUPT naming the file at fault and how to recover. */
export function corrupt(file: string, problem: string, dir: string, cause?: unknown): NewsragError {
  return newsragError('INDEX_CORRUPT', { subject: `Index file ${file}`, problem, fix: rebuildHint(dir) }, { cause });
}
