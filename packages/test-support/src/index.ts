/**
 * @newsrag/test-support: helpers and fixtures for newsrag's tests, benchmarks and scripts
 * (never shipped; the packages' `src/` folders hold only shipped code).
 *
 * This entry loads nothing but Node's own modules and names no other workspace, so any
 * package's tests can use it without typechecking against another package. The helpers tied
 * to a package are subpaths: `@newsrag/test-support/synthetic-index` (seeded index data in
 * core's store types), `@newsrag/test-support/check-chunks` (core's chunking promises, asserted
 * with vitest) and `@newsrag/test-support/rejection` (embed's errors, asserted with vitest).
 */
export { closedPortUrl, type HubRequest, type LocalHub, startLocalHub } from './hub-server.js';
export {
  BBC_CORPUS,
  BBC_DEV,
  CLI,
  CORPORA_DIR,
  FOLLOWUPS_DEV,
  REAL_MODEL,
  REPO_ROOT,
  requireShared,
  SEED_ARTICLES,
  SEED_DEV,
  SHARED_DIR,
  sharedDir,
  TIME_DEV,
} from './paths.js';
export { type LocalPypi, startLocalPypi } from './pypi-server.js';
export { prng, randomUnitVectors } from './random.js';
export { seedSentences, variedTexts } from './seed-sentences.js';
export { percentile } from './stats.js';
export { dot, maxAbsDiff, norm } from './vectors.js';
export {
  INDEPENDENT_PARAGRAPHS,
  INDEPENDENT_TITLE,
  OTHER_STORY_PARAGRAPHS,
  OTHER_STORY_TITLE,
  storyText,
  trimmed30,
  WIRE_PARAGRAPHS,
  WIRE_TITLE,
} from './wire-story.js';
