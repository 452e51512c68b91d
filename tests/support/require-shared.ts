import { requireShared } from '@newsrag/test-support';
/**
 * Vitest `globalSetup` of the corpus test set (`npm run test:corpus`, see vitest.config.ts):
 * those tests read the team's shared data, so the run stops at once, naming the folder and
 * the variable to set, when it is missing, instead of skipping them or failing one by one.
 */

export default function setup(): void {
  requireShared();
}
