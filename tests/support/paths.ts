/**
 * The data paths live in `@newsrag/test-support` (packages/test-support/src/paths.ts). This
 * re-export stays only for the tests in tests/discord until their imports name the package.
 */
export {
  BBC_CORPUS,
  BBC_DEV,
  CLI,
  FOLLOWUPS_DEV,
  REAL_MODEL,
  REPO_ROOT,
  requireShared,
  SEED_ARTICLES,
  SEED_DEV,
  SHARED_DIR,
  TIME_DEV,
} from '@newsrag/test-support';
