import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type NewsragError, newsragError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic.js';

/** The state file, beside the articles; hidden, so the article reader skips it. */
export const STATE_FILE = '.newsrag-ingest.json';

const stateSchema = z.object({
  version: z.literal(1),
  /** Validators per URL, for conditional GETs. */
  http: z.record(z.string(), z.object({ etag: z.string().optional(), lastModified: z.string().optional() })),
  /** Identity keys (`guid:…`, `url:…`) to the article id stored for them. */
  items: z.record(z.string(), z.string()),
});

/** What ingest remembers between runs: HTTP validators and which item is which article. */
export type IngestState = z.output<typeof stateSchema>;

export function emptyState(): IngestState {
  return { version: 1, http: {}, items: {} };
}

/**
 * Reads the state of an articles folder. A missing file is an empty state; an unreadable
 * or malformed one too, with a warning: it only costs full (unconditional) fetches.
 */
export async function readState(articlesDir: string): Promise<{ state: IngestState; warning?: NewsragError }> {
  const file = path.join(articlesDir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyState() };
    return {
      state: emptyState(),
      warning: newsragError('FEED_BAD_FORMAT', {
        source: file,
        problem: `unreadable (${(error as Error).message}); starting afresh`,
      }),
    };
  }
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { state: parsed.data };
  } catch {
    // reported below
  }
  return {
    state: emptyState(),
    warning: newsragError('FEED_BAD_FORMAT', {
      source: file,
      problem: 'not a valid ingest state file; starting afresh',
    }),
  };
}

/** Writes the state atomically (temp file, fsync, rename). */
export async function writeState(articlesDir: string, state: IngestState): Promise<void> {
  await writeFileAtomic(path.join(articlesDir, STATE_FILE), `${JSON.stringify(state, null, 1)}\n`);
}
