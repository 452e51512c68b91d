/**
 * The real entry point in a child process: an uncaught exception is logged and ends the
 * process with a non-zero code (a supervisor restarts it, and the restarted bot answers
 * from the same index), and SIGTERM ends it within 5 s even when the gateway has gone away.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BBC_CORPUS } from '@newsrag/test-support';
import { DiscordStandin, snowflake } from '@newsrag/test-support/discord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, startBotProcess } from './bot-process.js';
import { askOptions, bodyOf, SEED_ARTICLES, textOf, waitForEdit } from './harness.js';

const INJECT = fileURLToPath(new URL('./inject-uncaught.mjs', import.meta.url));

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'newsrag-bot-life-'));
  cpSync(SEED_ARTICLES, join(root, 'articles'), { recursive: true });
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

async function startBot(standin: DiscordStandin, env: Record<string, string> = {}): Promise<BotProcess> {
  const bot = startBotProcess('main.ts', {
    DISCORD_API_URL: standin.apiUrl,
    NEWSRAG_INDEX_DIR: join(root, 'index'),
    NEWSRAG_ARTICLES_DIR: join(root, 'articles'),
    NEWSRAG_MODEL: 'standin',
    ...env,
  });
  const early = bot.exited.then((code) => {
    throw new Error(`the bot exited early (code ${code}):\n${bot.output()}`);
  });
  await Promise.race([standin.waitForIdentify(), early]);
  early.catch(() => undefined);
  return bot;
}

describe('bot process lifecycle (main.ts)', () => {
  it('logs an uncaught exception and exits non-zero; restarted, it answers from the same index', async () => {
    const standin = await DiscordStandin.start();
    try {
      const throwFile = join(root, 'throw-now');
      const bot = await startBot(standin, {
        NODE_OPTIONS: `--import=${INJECT}`,
        NEWSRAG_TEST_THROW_FILE: throwFile,
      });
      writeFileSync(throwFile, '');
      const code = await bot.exited;
      expect(code).toBe(70);
      expect(bot.output()).toMatch(/uncaught exception: exiting with code 70[\s\S]*injected uncaught exception/);
      rmSync(throwFile);
    } finally {
      await standin.stop();
    }
    // What a supervisor does: start it again (a fresh stand-in, to see the new session).
    const next = await DiscordStandin.start();
    const again = await startBot(next);
    try {
      const sent = next.sendCommand({ name: 'ask', options: askOptions('What dog breed did Kim give Putin?') });
      expect(textOf(bodyOf(await waitForEdit(next, sent)))).toMatch(/Pungsan/i);
      expect(again.output()).not.toMatch(/no index in .* yet/); // the index survived the crash
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
      await next.stop();
    }
  }, 120_000);

  it('ends within 5 s of SIGTERM in the middle of a long /reindex', async () => {
    // 1,000 new articles: a reindex of many seconds, which shutdown used to wait for.
    const articles = join(root, 'articles-big');
    cpSync(SEED_ARTICLES, articles, { recursive: true });
    const standin = await DiscordStandin.start();
    const admin = { id: snowflake(), username: 'admin' };
    const bot = await startBot(standin, {
      NEWSRAG_ARTICLES_DIR: articles,
      NEWSRAG_INDEX_DIR: join(root, 'index-big'),
      NEWSRAG_ADMIN_IDS: admin.id,
    });
    // Added after start-up, so only /reindex reads them.
    for (const topic of ['business', 'sport']) {
      const files = readdirSync(join(BBC_CORPUS, topic)).filter((f) => f.endsWith('.txt'));
      for (const f of files.slice(0, 500)) cpSync(join(BBC_CORPUS, topic, f), join(articles, `${topic}-${f}`));
    }
    try {
      standin.sendCommand({ name: 'reindex', user: admin });
      await standin.waitFor((c) => /^Reindex of .* started/.test(bodyOf(c).content ?? ''), 20_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const killedAt = performance.now();
      bot.child.kill('SIGTERM');
      const code = await bot.exited;
      const ms = performance.now() - killedAt;
      console.log(`SIGTERM during a 1,000-article /reindex: exited ${code} after ${ms.toFixed(0)} ms`);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(5_000);
      expect(bot.output()).not.toMatch(/Reindexed/); // it really was cut short
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
      await standin.stop();
    }
  }, 180_000);

  it('ends within 5 s of SIGTERM after the gateway has gone away', async () => {
    const standin = await DiscordStandin.start();
    const bot = await startBot(standin);
    await standin.stop(); // the connection drops; discord.js keeps trying to reconnect
    await new Promise((resolve) => setTimeout(resolve, 500));
    const killedAt = performance.now();
    bot.child.kill('SIGTERM');
    const code = await bot.exited;
    const ms = performance.now() - killedAt;
    console.log(`SIGTERM with the gateway gone: exited ${code} after ${ms.toFixed(0)} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    expect(bot.output()).toContain('SIGTERM: shutting down');
  }, 120_000);
});
