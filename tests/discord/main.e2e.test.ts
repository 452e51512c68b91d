/**
 * The real entry point (`npm run bot`, from source) in a child process against the
 * stand-in: it builds the index when there is none, logs in, answers, survives payloads
 * that make discord.js throw, never logs the token, and exits 0 on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiscordStandin } from '@newsrag/test-support/discord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askOptions, bodyOf, SEED_ARTICLES, TEST_TOKEN, textOf, waitForEdit } from './harness.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run bot (main.ts) against the stand-in', () => {
  let standin: DiscordStandin;
  let child: ChildProcess;
  let root: string;
  let stderr = '';

  beforeAll(async () => {
    standin = await DiscordStandin.start();
    root = mkdtempSync(join(tmpdir(), 'newsrag-bot-main-'));
    cpSync(SEED_ARTICLES, join(root, 'articles'), { recursive: true });
    child = spawn(
      join(REPO, 'node_modules/.bin/tsx'),
      ['--tsconfig', join(REPO, 'tests/discord/tsconfig.sources.json'), join(REPO, 'apps/discord-bot/src/main.ts')],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DISCORD_TOKEN: TEST_TOKEN,
          DISCORD_API_URL: standin.apiUrl,
          NEWSRAG_INDEX_DIR: join(root, 'index'),
          NEWSRAG_ARTICLES_DIR: join(root, 'articles'),
          NEWSRAG_MODEL: 'standin',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`the bot exited early (code ${code}):\n${stderr}`);
    });
    await Promise.race([standin.waitForIdentify(), exited]);
    exited.catch(() => undefined);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await standin?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('indexes on first start, answers, survives malformed payloads, and stops cleanly', async () => {
    expect(existsSync(join(root, 'index'))).toBe(true);
    expect(stderr).toMatch(/no index in .* yet: indexing/);

    const first = standin.sendCommand({
      name: 'ask',
      options: askOptions('What animal did Kim Jong Un feed carrots to?'),
    });
    expect(textOf(bodyOf(await waitForEdit(standin, first)))).toMatch(/horse/i);

    // Each of these makes discord.js throw inside its own gateway handling.
    standin.sendRaw({ op: 0, t: 'MESSAGE_CREATE', s: 9000, d: null });
    standin.sendRaw({ op: 0, t: 'INTERACTION_CREATE', s: 9001, d: null });
    standin.sendRaw({ op: 0, t: 'GUILD_CREATE', s: 9002, d: { id: null } });
    standin.sendRaw({
      op: 0,
      t: 'MESSAGE_CREATE',
      s: 9003,
      d: {
        id: '1',
        channel_id: standin.channelId,
        guild_id: standin.guildId,
        author: { id: '2' },
        content: 12345,
        mentions: 'none',
      },
    });
    const second = standin.sendCommand({ name: 'ask', options: askOptions('What dog breed did Kim give Putin?') });
    expect(textOf(bodyOf(await waitForEdit(standin, second)))).toMatch(/Pungsan/i);
    expect(child.exitCode).toBeNull();
    expect(stderr).toMatch(/unhandled rejection|uncaught exception/);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stderr).toContain('SIGTERM: shutting down');
    expect(stderr).not.toContain(TEST_TOKEN);
    expect(stderr).not.toContain('standin-secret');
    expect(standin.violations).toEqual([]);
  });
});
