/**
 * A knowledge base sees what another process (here: another knowledge base on the same
 * folder, as `newsrag index` beside a running bot) commits: its next question is answered
 * from the new state, for both engines; a question with nothing new reopens nothing.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEED_ARTICLES } from '@newsrag/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKnowledgeBase } from './kb.js';
import { openIndexStore } from './store/select.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'newsrag-kb-refresh-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const NEWS =
  'Harbour officials in Quillmoor said on Tuesday that the zephyrine ferry will resume sailing next week after repairs to its hull.';

describe.each(['sqlite', 'folder'] as const)('a knowledge base beside another writer (%s engine)', (engine) => {
  it("answers from the other writer's commit on its next question", async () => {
    const indexDir = path.join(root, 'index');
    const bot = await openKnowledgeBase({ indexDir, engine, model: 'standin' });
    const cli = await openKnowledgeBase({ indexDir, engine, model: 'standin' });
    try {
      await cli.index([SEED_ARTICLES]);
      // The bot had no index when it opened; the other writer's first commit is picked up.
      const before = await bot.search('zephyrine ferry Quillmoor');
      expect(before.some((p) => p.articleId === 'quillmoor')).toBe(false);
      const generation = (await bot.stats()).generation;

      const extra = path.join(root, 'extra');
      await mkdir(extra);
      await writeFile(path.join(extra, 'quillmoor.txt'), `Ferry to resume\n\n${NEWS}\n`);
      await cli.index([extra]);

      const after = await bot.search('zephyrine ferry Quillmoor');
      expect(after[0]?.articleId).toBe('quillmoor');
      expect((await bot.stats()).generation).toBeGreaterThan(generation);
      expect(bot.articles().map((a) => a.id)).toContain('quillmoor');
      const store = await openIndexStore(indexDir, { engine });
      expect(await store.committedGeneration?.()).toBe((await bot.stats()).generation);
    } finally {
      await bot.close();
      await cli.close();
    }
  });
});
