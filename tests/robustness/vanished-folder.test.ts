/**
 * An articles folder that vanishes (an unmounted volume, a permissions slip) is not a
 * deletion: `newsrag index --prune` exits 1 naming it and removes nothing, and the bot's
 * /reindex says so and keeps every article.
 */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { PERMISSIONS } from '@newsrag/test-support/discord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, type Harness, startHarness, waitForEdit } from '../discord/harness.js';
import { copySeeds, newsrag, requireCli, tempDir } from './support.js';

describe('a vanished articles folder', () => {
  it('CLI: index --prune exits 1, names the folder and removes nothing', async () => {
    requireCli();
    const dir = await tempDir('vanish-cli');
    const articles = path.join(dir, 'articles');
    await copySeeds(articles);
    expect((await newsrag(dir, ['index', articles])).code).toBe(0);
    await rename(articles, path.join(dir, 'unmounted'));
    const run = await newsrag(dir, ['index', '--prune', '--json', articles]);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as { removed: number; unreadableFolders: string[] };
    expect(summary.removed).toBe(0);
    expect(summary.unreadableFolders).toEqual([articles]);
    const stats = await newsrag(dir, ['stats', '--check', '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ articles: 3, check: { ok: true } });
  });

  describe('bot: /reindex', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('reports the folder and keeps every article', async () => {
      const before = h.kb.articles().length;
      await rename(h.articlesDir, `${h.articlesDir}-offline`);
      const sent = h.standin.sendCommand({ name: 'reindex', permissions: PERMISSIONS.manageGuild });
      const report = bodyOf(await waitForEdit(h.standin, sent, 60_000)).content ?? '';
      expect(report).toMatch(/0 removed/);
      expect(report).toMatch(/could not be read .*nothing under it was removed/);
      expect(h.kb.articles().length).toBe(before);
      await rename(`${h.articlesDir}-offline`, h.articlesDir);
    });
  });
});
