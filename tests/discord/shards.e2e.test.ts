/**
 * `bot:shards` without a database server (the default test set): two shard processes on one
 * index folder, with the stand-in model. The first shard builds the missing index before its
 * session is ready, the second starts only then and finds it; and a manager that dies
 * (SIGKILL: no chance to stop anything) takes its shard processes with it, so a restarted
 * manager never finds the old ones still connected; a shard that cannot start stops the
 * manager instead of being respawned in a loop. The PostgreSQL end-to-end test is
 * shards.pg.test.ts.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEED_ARTICLES } from '@newsrag/test-support';
import { DiscordStandin, guildOnShard } from '@newsrag/test-support/discord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, startBotProcess } from './bot-process.js';
import { askOptions, bodyOf, textOf, waitForEdit } from './harness.js';

const guildA = guildOnShard('Desk A', 0, 2);
const guildB = guildOnShard('Desk B', 1, 2);

let standin: DiscordStandin;
let bot: BotProcess;
let root: string;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'newsrag-shards-folder-'));
  await cp(SEED_ARTICLES, path.join(root, 'articles'), { recursive: true, filter: (s) => !s.endsWith('README.md') });
  standin = await DiscordStandin.start({ shards: 2, guilds: [guildA, guildB] });
  bot = startBotProcess('shards.ts', {
    DISCORD_API_URL: standin.apiUrl,
    NEWSRAG_SHARDS: '2',
    NEWSRAG_INDEX_DIR: path.join(root, 'index'),
    NEWSRAG_ARTICLES_DIR: path.join(root, 'articles'),
    NEWSRAG_MODEL: 'standin',
  });
  await bot.waitForOutput(/all 2 shards ready/, 170_000);
}, 180_000);

afterAll(async () => {
  if (bot && bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
  await standin?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('bot:shards on an index folder', () => {
  it('shard 0 builds the missing index before shard 1 starts; each answers its own guild', async () => {
    const out = bot.output();
    expect(out).toContain('starting 2 shard processes (NEWSRAG_SHARDS; api');
    const built = out.indexOf('[shard 0/2] indexed 3 articles');
    const secondStarted = out.indexOf('[shards] shard 1/2: process');
    expect(built).toBeGreaterThan(-1);
    expect(secondStarted).toBeGreaterThan(built);
    expect(out).not.toMatch(/\[shard 1\/2\] .*(yet: indexing|waiting for its commit)/);

    for (const [guild, shard] of [
      [guildA, 0],
      [guildB, 1],
    ] as const) {
      const sent = standin.sendCommand({
        name: 'ask',
        options: askOptions('What animal did Kim Jong Un feed carrots to?'),
        guildId: guild.id,
        channelId: guild.channels[0]?.id as string,
      });
      expect(textOf(bodyOf(await waitForEdit(standin, sent, 60_000)))).toMatch(/horse/i);
      expect(standin.recipientsOf(sent).map((s) => s.shard)).toEqual([[shard, 2]]);
    }
  });

  it('when the manager is killed, its shard processes stop too', async () => {
    const pids = [...bot.output().matchAll(/\[shards\] shard \d\/2: process (\d+) started/g)].map((m) => Number(m[1]));
    expect(pids.length).toBe(2);
    expect(pids.every(alive)).toBe(true);
    bot.child.kill('SIGKILL');
    await bot.exited;
    // Each notices its IPC channel to the manager close, and shuts down as on SIGTERM.
    while (pids.some(alive) || standin.sessions.some((s) => s.open)) await sleep(50);
    expect(bot.output()).toMatch(/\[shard 0\/2\] the shard manager went away: shutting down/);
    expect(bot.output()).toMatch(/\[shard 1\/2\] the shard manager went away: shutting down/);
  }, 30_000);

  it('a shard process that exits before its session is ready stops the manager with exit code 1', async () => {
    const failing = startBotProcess('shards.ts', {
      DISCORD_API_URL: standin.apiUrl,
      NEWSRAG_SHARDS: '2',
      // Nothing listens there: opening the knowledge base fails, as with a database that is down.
      NEWSRAG_INDEX: 'postgres://nobody@127.0.0.1:1/none',
      NEWSRAG_INDEX_DIR: path.join(root, 'files-failing'),
      NEWSRAG_ARTICLES_DIR: path.join(root, 'articles'),
      NEWSRAG_MODEL: 'standin',
    });
    expect(await failing.exited).toBe(1);
    const out = failing.output();
    expect(out).toMatch(/newsrag bot could not start: Cannot reach the Postgres index at .*127\.0\.0\.1:1/);
    expect(out).toMatch(
      /a shard process could not start ShardStartError \[SHARD_START\]: shard 0\/2: the bot process exited \(code 1\)/,
    );
    expect(out).not.toMatch(/shard 1\/2: process/); // shard 1 was never started
    const pids = [...out.matchAll(/\[shards\] shard 0\/2: process (\d+) started/g)].map((m) => Number(m[1]));
    while (pids.some(alive)) await sleep(50);
    expect(pids.length).toBeGreaterThan(0);
  }, 60_000);
});
