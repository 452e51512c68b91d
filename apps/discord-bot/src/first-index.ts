/**
 * The index a bot process needs before it logs in: there already, built by this process, or
 * built by another one (the process of shard 0, `newsrag index`) whose commit it waits for.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { displayLocation, type KnowledgeBase, NewsragError } from '@newsrag/core';
import { type BotConfig, isLeadProcess } from './config.js';
import type { Logger } from './log.js';

/** How often a process waiting for another's first commit asks the index for it. */
export const COMMIT_POLL_MS = 1_000;

/** How the index came to be there: found, built here, or committed by another process meanwhile. */
export type FirstIndex = 'present' | 'built' | 'waited';

const isCode = (error: unknown, code: string) => error instanceof NewsragError && error.code === code;

/**
 * Resolves once `kb` has an index (an empty one counts). A process that does not lead (see
 * {@link isLeadProcess}) never indexes: it waits for the lead's commit. The lead indexes
 * `articlesDir`; when another writer holds the index (INDEX_LOCKED: two processes finished
 * embedding at once, or `newsrag index` runs), it waits for that writer's commit instead of
 * failing, and does not write the same articles again.
 */
export async function ensureIndex(
  kb: KnowledgeBase,
  config: Pick<BotConfig, 'index' | 'articlesDir' | 'shard'>,
  logger: Logger,
  options: { pollMs?: number } = {},
): Promise<FirstIndex> {
  if (kb.articles().length > 0) return 'present';
  const where = displayLocation(config.index);
  const waitForOther = async (why: string): Promise<FirstIndex> => {
    logger.info(`${why}: waiting for its commit to ${where}`);
    await waitForCommit(kb, options.pollMs ?? COMMIT_POLL_MS);
    logger.info(`the index in ${where} was committed by another process (${kb.articles().length} articles)`);
    return 'waited';
  };
  if (!isLeadProcess(config.shard)) {
    return waitForOther(`no index in ${where} yet, and the process of shard 0 builds it`);
  }
  logger.info(`no index in ${where} yet: indexing ${config.articlesDir}`);
  try {
    const summary = await kb.index([config.articlesDir]);
    logger.info(
      `indexed ${summary.added} articles (${summary.chunksEmbedded} passages) in ${summary.seconds.toFixed(1)} s`,
    );
    return 'built';
  } catch (error) {
    if (!isCode(error, 'INDEX_LOCKED')) throw error;
    return waitForOther('another process is writing the index');
  }
}

/**
 * Asks the index until it exists. A question refreshes the knowledge base's snapshot from the
 * committed generation first, and fails with INDEX_NOT_FOUND before any model work while there
 * is none, so each try costs one generation read (core has no cheaper public refresh).
 */
async function waitForCommit(kb: KnowledgeBase, pollMs: number): Promise<void> {
  for (;;) {
    try {
      await kb.search('warm up', { k: 1 });
      return;
    } catch (error) {
      if (!isCode(error, 'INDEX_NOT_FOUND')) throw error;
    }
    await sleep(pollMs);
  }
}
