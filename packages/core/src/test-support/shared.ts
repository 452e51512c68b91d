/**
 * Where tests and benchmarks find the team's shared data: `$NEWSRAG_SHARED_DIR`, else
 * `shared/` beside the checkout (where CI puts it). Read-only. Not part of the
 * package's API (tsup bundles only what index.ts and cli.ts import).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/core/src/test-support/shared.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const SHARED_DIR = path.resolve(process.env.NEWSRAG_SHARED_DIR ?? path.join(REPO_ROOT, '..', 'shared'));
export const CORPORA_DIR = path.join(SHARED_DIR, 'corpora');
export const BBC_CORPUS = path.join(CORPORA_DIR, 'bbc');
/** The seed dev questions as shipped in the repo (a copy of shared/eval's), so the default tests need no shared data. */
export const SEED_DEV = path.join(REPO_ROOT, 'data', 'eval', 'seed-questions.dev.jsonl');
export const BBC_DEV = path.join(SHARED_DIR, 'eval', 'bbc-questions.dev.jsonl');
/** The seed articles as shipped in the repo (identical to shared/articles). */
export const SEED_ARTICLES = path.join(REPO_ROOT, 'data', 'articles');
