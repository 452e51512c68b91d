/**
 * Bot processes starting together against an empty PostgreSQL index build it once: the process
 * of shard 0 indexes, the others wait for its commit; and a process that finds another writer
 * in the index (INDEX_LOCKED) waits for that writer's commit instead of failing or writing the
 * same articles again. Each writer is held inside its write by core's test pause point
 * (`NEWSRAG_TEST_PAUSE_AT`), so the overlap happens on any machine. The entry is the real
 * `main.ts` with SHARDS / SHARD_COUNT, as replicas started apart (or by `bot:shards`) run it;
 * real server, real all-MiniLM-L6-v2.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, REAL_MODEL, SEED_ARTICLES } from '@newsrag/test-support';
import { DiscordStandin, guildOnShard, type StandinGuild } from '@newsrag/test-support/discord';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PgServer, startPostgres } from '../support/postgres.js';
import { type BotProcess, startBotProcess } from './bot-process.js';
import { askOptions, bodyOf, textOf, waitForEdit } from './harness.js';

const run = promisify(execFile);
const PAUSED = /NEWSRAG_PAUSE_POINT (locked|before-commit)/;

let server: PgServer;
let root: string;
let articles: string;
let cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  server = await startPostgres();
  root = await mkdtemp(path.join(tmpdir(), 'newsrag-first-index-'));
  articles = path.join(root, 'articles');
  await cp(SEED_ARTICLES, articles, { recursive: true, filter: (src) => !src.endsWith('README.md') });
});
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});
afterAll(async () => {
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

async function stats(url: string): Promise<{ generation: number; articles: number }> {
  const { stdout } = await run(process.execPath, [CLI, '--model', REAL_MODEL, '--index', url, 'stats', '--json']);
  return JSON.parse(stdout);
}

function botOn(url: string, standin: DiscordStandin, env: Record<string, string>): BotProcess {
  const bot = startBotProcess('main.ts', {
    DISCORD_API_URL: standin.apiUrl,
    NEWSRAG_INDEX: url,
    NEWSRAG_INDEX_DIR: path.join(root, `files-${Math.random().toString(36).slice(2)}`),
    NEWSRAG_ARTICLES_DIR: articles,
    NEWSRAG_MODEL: REAL_MODEL,
    NEWSRAG_COOLDOWN_SECONDS: '0',
    ...env,
  });
  cleanups.push(async () => {
    if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    await bot.exited;
  });
  return bot;
}

async function answered(standin: DiscordStandin, guild: StandinGuild): Promise<string> {
  const sent = standin.sendCommand({
    name: 'ask',
    options: askOptions('What dog breed did Kim give Putin?'),
    guildId: guild.id,
    channelId: guild.channels[0]?.id as string,
  });
  return textOf(bodyOf(await waitForEdit(standin, sent, 60_000)));
}

describe('the first index of bot processes sharing one PostgreSQL index', () => {
  it('two shard processes started together: shard 0 builds it, shard 1 waits for that commit', async () => {
    const url = server.url({ schema: 'together' });
    const guilds = [guildOnShard('A', 0, 2), guildOnShard('B', 1, 2)] as const;
    const standin = await DiscordStandin.start({ shards: 2, guilds: [...guilds] });
    cleanups.push(() => standin.stop());
    const release = path.join(root, 'release-together');
    const zero = botOn(url, standin, {
      SHARDS: '0',
      SHARD_COUNT: '2',
      NEWSRAG_TEST_PAUSE_AT: `before-commit:${release}`,
    });
    await zero.waitForOutput(PAUSED);
    // Shard 0 has embedded every article and holds its write open: shard 1 starts now.
    const one = botOn(url, standin, { SHARDS: '1', SHARD_COUNT: '2' });
    await one.waitForOutput(/the process of shard 0 builds it: waiting for its commit/);
    await writeFile(release, '');
    await Promise.all([standin.waitForIdentify(0), standin.waitForIdentify(1)]);

    expect(zero.output()).toMatch(/\[shard 0\/2\] indexed 3 articles/);
    expect(one.output()).toMatch(/\[shard 1\/2\] the index in .* was committed by another process \(3 articles\)/);
    expect(one.output()).not.toMatch(/yet: indexing|indexed \d+ articles/);
    expect(await stats(url)).toMatchObject({ generation: 1, articles: 3 });
    expect(await answered(standin, guilds[0])).toMatch(/Pungsan/i);
    expect(await answered(standin, guilds[1])).toMatch(/Pungsan/i);
    expect(standin.sessions.map((s) => s.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('a bot that finds another writer in the empty index (INDEX_LOCKED) waits for its commit', async () => {
    const url = server.url({ schema: 'locked' });
    const standin = await DiscordStandin.start();
    cleanups.push(() => standin.stop());
    const release = path.join(root, 'release-locked');
    // `newsrag index` takes the writer lock and stays there, nothing written yet.
    const cli = spawn(process.execPath, [CLI, '--model', REAL_MODEL, '--index', url, 'index', articles], {
      env: { ...process.env, NEWSRAG_TEST_PAUSE_AT: `locked:${release}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let cliOut = '';
    const paused = new Promise<void>((resolve) => {
      const collect = (d: Buffer) => {
        cliOut += d.toString();
        if (PAUSED.test(cliOut)) resolve();
      };
      cli.stdout.on('data', collect);
      cli.stderr.on('data', collect);
    });
    const cliExit = once(cli, 'exit');
    cleanups.push(async () => {
      if (cli.exitCode === null) cli.kill('SIGKILL');
    });
    await paused;

    const bot = botOn(url, standin, {});
    await bot.waitForOutput(/another process is writing the index: waiting for its commit/);
    await writeFile(release, '');
    const [code] = await cliExit;
    expect(code, cliOut).toBe(0);
    await standin.waitForIdentify();

    const out = bot.output();
    expect(out).toMatch(/no index in .* yet: indexing/);
    expect(out).toMatch(/the index in .* was committed by another process \(3 articles\)/);
    expect(out).not.toMatch(/indexed \d+ articles/);
    // One generation: the CLI's; the bot did not write the same articles again.
    expect(await stats(url)).toMatchObject({ generation: 1, articles: 3 });
    expect(await answered(standin, standin.guilds[0] as StandinGuild)).toMatch(/Pungsan/i);
  });
});
