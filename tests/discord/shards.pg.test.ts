/**
 * Several bot processes, one index: `bot:shards` (discord.js's ShardingManager, from source)
 * with `NEWSRAG_SHARDS=auto` against a stand-in that recommends 2 shards, both shard processes
 * answering from one PostgreSQL index (real server, real all-MiniLM-L6-v2 in each process).
 *
 * Guild A falls on shard 0, guild B on shard 1. The stand-in dispatches an interaction to the
 * session of its guild's shard only, and the token it carries is random: the answer to it can
 * only come from the process holding that session. So "received by shard 1" plus "answered"
 * is "answered by the process of shard 1".
 *
 * The real model rather than the stand-in one: three processes load it (two shards and the
 * CLI) in a few seconds each, and the questions about the added articles then need no
 * wording tuned to the stand-in model's vocabulary.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, REAL_MODEL, SEED_ARTICLES } from '@newsrag/test-support';
import {
  DiscordStandin,
  guildOnShard,
  type RestCall,
  type SentInteraction,
  snowflake,
} from '@newsrag/test-support/discord';
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgServer, startPostgres } from '../support/postgres.js';
import { type BotProcess, startBotProcess } from './bot-process.js';
import { askOptions, bodyOf, TEST_TOKEN, textOf, waitForEdit } from './harness.js';

const run = promisify(execFile);

const guildA = guildOnShard('Desk A', 0, 2);
const guildB = guildOnShard('Desk B', 1, 2);
const channelOf = (g: typeof guildA) => g.channels[0]?.id as string;
const admin = { id: snowflake(), username: 'admin', global_name: 'Admin' };

const REINDEXED = {
  file: 'zorblatt.md',
  title: 'Zorblatt Institute maps a shrinking glacier',
  question: 'What did the Zorblatt Institute announce about the glacier?',
  text: [
    'The Zorblatt Institute announced on Monday that the Vatnajokull glacier lost four metres of ice this year.',
    'Researchers at the institute said the loss was the largest they had measured since records began.',
  ],
};
const FROM_CLI = {
  file: 'quillmere.md',
  title: 'Quillmere council votes to rebuild its tidal mill',
  question: 'What did the Quillmere council vote to rebuild?',
  text: [
    'The Quillmere town council voted on Tuesday to rebuild the tidal mill that storms destroyed in 1953.',
    'Councillors said the rebuilt mill would grind flour for the town bakery and open to visitors in spring.',
  ],
};

function articleText(a: typeof REINDEXED): string {
  return ['---', `title: ${a.title}`, 'date: 2026-11-30', 'source: test', '---', ...a.text, ''].join('\n');
}

let server: PgServer;
let standin: DiscordStandin;
let bot: BotProcess;
let root: string;
let url: string;
let articles: string;

async function newsrag(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, '--model', REAL_MODEL, '--index', url, ...args], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Whether an answer's sources list `title` as cited (`[n] title` fields), not as a closest passage. */
function cites(edit: RestCall, title: string): boolean {
  const embeds = (bodyOf(edit).embeds ?? []) as APIEmbed[];
  return embeds.some((e) => (e.fields ?? []).some((f) => /^\[\d+\]/.test(f.name) && f.name.includes(title)));
}

function ask(guild: typeof guildA, question: string, user = { id: snowflake(), username: 'reader' }): SentInteraction {
  return standin.sendCommand({
    name: 'ask',
    options: askOptions(question),
    guildId: guild.id,
    channelId: channelOf(guild),
    user,
  });
}

/** The shard ids of the sessions an interaction was dispatched to. */
const shardsOf = (sent: SentInteraction) => standin.recipientsOf(sent).map((s) => s.shard[0]);

beforeAll(async () => {
  server = await startPostgres();
  url = server.url({ schema: 'shards' });
  root = await mkdtemp(path.join(tmpdir(), 'newsrag-shards-'));
  articles = path.join(root, 'articles');
  await cp(SEED_ARTICLES, articles, { recursive: true, filter: (src) => !src.endsWith('README.md') });
  // The seeds go into the Postgres index before any bot starts, by the CLI as an operator would.
  expect(await newsrag('index', articles)).toMatch(/3 added/);
  standin = await DiscordStandin.start({ shards: 2, guilds: [guildA, guildB] });
  bot = startBotProcess('shards.ts', {
    DISCORD_API_URL: standin.apiUrl,
    NEWSRAG_SHARDS: 'auto',
    NEWSRAG_INDEX: url,
    NEWSRAG_INDEX_DIR: path.join(root, 'files'),
    NEWSRAG_ARTICLES_DIR: articles,
    NEWSRAG_MODEL: REAL_MODEL,
    NEWSRAG_ADMIN_IDS: admin.id,
    NEWSRAG_COOLDOWN_SECONDS: '0',
  });
  await bot.waitForOutput(/all 2 shards ready/, 170_000);
  // A shard's session is ready just before its process logs the bot's start-up's last lines.
  await bot.waitForOutput(/\[shard 1\/2\] feed refresh: left to the process of shard 0/);
}, 180_000);

afterAll(async () => {
  if (bot && bot.child.exitCode === null && bot.child.signalCode === null) {
    bot.child.kill('SIGTERM');
    await bot.exited;
  }
  await standin?.stop();
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('bot:shards: two shard processes on one PostgreSQL index', () => {
  it('starts as many shard processes as /gateway/bot of the stand-in recommends, each with its own session', async () => {
    const out = bot.output();
    expect(out).toContain(`starting 2 shard processes (as recommended by ${standin.apiUrl})`);
    const pids = [...out.matchAll(/\[shards\] shard (\d)\/2: process (\d+) started/g)].map((m) => [m[1], m[2]]);
    expect(pids.map(([shard]) => shard)).toEqual(['0', '1']);
    expect(new Set(pids.map(([, pid]) => pid)).size).toBe(2);
    // Each process logs under its shard; neither indexed (the seeds were there) nor logged the token.
    expect(out).toMatch(/\[shard 0\/2\] logged in/);
    expect(out).toMatch(/\[shard 1\/2\] logged in/);
    expect(out).not.toMatch(/yet: indexing/);
    expect(out).not.toContain(TEST_TOKEN);
    expect(standin.sessions.map((s) => [s.shard, s.guildIds])).toEqual([
      [[0, 2], [guildA.id]],
      [[1, 2], [guildB.id]],
    ]);
    // The manager and both clients asked the stand-in, never discord.com (which this machine cannot reach).
    expect(standin.calls.filter((c) => c.path === '/gateway/bot').length).toBeGreaterThanOrEqual(3);
  });

  it('answers /ask in each guild from the process of that guild’s shard', async () => {
    const inA = ask(guildA, 'What dog breed did Kim give Putin?');
    const inB = ask(guildB, 'What animal did Kim Jong Un feed carrots to?');
    const [editA, editB] = await Promise.all([waitForEdit(standin, inA, 60_000), waitForEdit(standin, inB, 60_000)]);
    expect(shardsOf(inA)).toEqual([0]);
    expect(shardsOf(inB)).toEqual([1]);
    expect(textOf(bodyOf(editA))).toMatch(/Pungsan/i);
    expect(textOf(bodyOf(editB))).toMatch(/horse/i);
  });

  it('a /reindex in guild A (shard 0) is seen by the next /ask in guild B (shard 1)', async () => {
    await writeFile(path.join(articles, REINDEXED.file), articleText(REINDEXED));
    const before = ask(guildB, REINDEXED.question);
    expect(cites(await waitForEdit(standin, before, 60_000), REINDEXED.title)).toBe(false);

    const reindex = standin.sendCommand({
      name: 'reindex',
      guildId: guildA.id,
      channelId: channelOf(guildA),
      user: admin,
    });
    const report = await standin.waitFor(
      (c) =>
        c.method === 'POST' &&
        c.path === `/channels/${channelOf(guildA)}/messages` &&
        /^Reindexed/.test(bodyOf(c).content ?? ''),
      120_000,
    );
    expect(shardsOf(reindex)).toEqual([0]);
    expect(bodyOf(report).content).toMatch(/1 added, 0 updated, 0 removed, 3 unchanged/);
    expect(bot.output()).toMatch(/\[shard 0\/2\] reindex of .* started by/);

    const after = ask(guildB, REINDEXED.question);
    const edit = await waitForEdit(standin, after, 60_000);
    expect(shardsOf(after)).toEqual([1]);
    expect(cites(edit, REINDEXED.title)).toBe(true);
    expect(textOf(bodyOf(edit))).toContain('four metres');
  });

  it('keeps answering in both shards while the CLI indexes the same index; later answers see its article', async () => {
    const folder = path.join(root, 'cli-articles');
    await mkdir(folder);
    await writeFile(path.join(folder, FROM_CLI.file), articleText(FROM_CLI));
    const acked = standin.interactions.byId.size;
    // The CLI stops inside its write, its rows inserted but not committed (core's test pause
    // point), until the release file exists: questions asked then are asked mid-write, however
    // fast or slow this machine is.
    const release = path.join(root, 'release-cli');
    const cli = spawn(process.execPath, [CLI, '--model', REAL_MODEL, '--index', url, 'index', folder], {
      cwd: root,
      env: { ...process.env, NEWSRAG_TEST_PAUSE_AT: `before-commit:${release}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let cliOut = '';
    cli.stdout.on('data', (d: Buffer) => (cliOut += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (cliOut += d.toString()));
    let cliCode: number | null | undefined;
    const cliExit = once(cli, 'exit').then(([code]) => {
      cliCode = code as number | null;
    });

    // Rounds of one question per guild, each sorted by where the CLI was when it was asked.
    type Phase = 'indexing' | 'mid-write' | 'committing' | 'after';
    const rounds: Array<{ phase: Phase; a: boolean; b: boolean }> = [];
    const sent: SentInteraction[] = [];
    let released = false;
    for (;;) {
      const phase: Phase =
        cliCode !== undefined
          ? 'after'
          : released
            ? 'committing'
            : cliOut.includes('NEWSRAG_PAUSE_POINT before-commit')
              ? 'mid-write'
              : 'indexing';
      const pair = [ask(guildA, FROM_CLI.question), ask(guildB, FROM_CLI.question)] as const;
      sent.push(...pair);
      const [a, b] = await Promise.all(pair.map((q) => waitForEdit(standin, q, 60_000)));
      rounds.push({ phase, a: cites(a as RestCall, FROM_CLI.title), b: cites(b as RestCall, FROM_CLI.title) });
      if (phase === 'after') break;
      if (!released && rounds.filter((r) => r.phase === 'mid-write').length >= 3) {
        await writeFile(release, '');
        released = true;
      }
    }
    await cliExit;
    expect(cliCode, cliOut).toBe(0);
    expect(cliOut).toMatch(/1 added/);
    const count = (phase: Phase) => rounds.filter((r) => r.phase === phase).length;
    console.log(
      `CLI index beside two shards: ${sent.length} questions in ${rounds.length} rounds (${count('indexing')} while it read and embedded, ${count('mid-write')} mid-write, ${count('committing')} while it committed, ${count('after')} after)`,
    );

    // None lost, none answered twice: each deferred (within the 3 s), then edited once.
    expect(standin.interactions.byId.size).toBe(acked + sent.length);
    for (const q of sent) {
      expect(standin.interactions.byId.get(q.id)?.responseType).toBe(5);
      expect(standin.callsFor(q).filter((c) => c.method === 'PATCH' && c.status === 200).length).toBe(1);
    }
    expect(sent.map(shardsOf)).toEqual(sent.map((_, i) => [i % 2])); // A on shard 0, B on shard 1
    // Mid-write the uncommitted article is invisible; after the commit both processes cite it;
    // each switches once and never back.
    expect(count('mid-write')).toBe(3);
    expect(rounds.filter((r) => r.phase === 'mid-write' && (r.a || r.b))).toEqual([]);
    expect(rounds.at(-1)).toEqual({ phase: 'after', a: true, b: true });
    for (const side of ['a', 'b'] as const) {
      const seen = rounds.map((r) => r[side]);
      expect(seen).toEqual([...seen].sort((x, y) => Number(x) - Number(y)));
    }
    expect(standin.interactions.unacknowledged()).toEqual([]);
    expect(standin.refusals).toEqual([]);
    expect(standin.violations).toEqual([]);
  });

  it('SIGTERM stops both shard processes, then the manager exits 0', async () => {
    const pids = [...bot.output().matchAll(/\[shards\] shard \d\/2: process (\d+) started/g)].map((m) => Number(m[1]));
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    const out = bot.output();
    expect(out).toContain('SIGTERM: stopping the shard processes');
    expect(out).toMatch(/\[shard 0\/2\] SIGTERM: shutting down/);
    expect(out).toMatch(/\[shard 1\/2\] SIGTERM: shutting down/);
    expect(out).not.toMatch(/starting it again/);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});
