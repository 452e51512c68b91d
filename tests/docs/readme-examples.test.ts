/**
 * Each package README opens with one example; these tests run it as written, as a user's
 * own file would: a fresh folder outside the repository that imports the built packages by
 * name (through a `node_modules` link), so an example that no longer compiles, names an
 * export that moved to `./internals`, or stops working fails here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openKnowledgeBase } from '@newsrag/core';
import { REAL_MODEL, REPO_ROOT, SEED_ARTICLES } from '@newsrag/test-support';
import { DiscordStandin } from '@newsrag/test-support/discord';
import { afterEach, describe, expect, it } from 'vitest';
import { askOptions, bodyOf, TEST_TOKEN, textOf, waitForEdit } from '../discord/harness.js';

/** The first ```ts block of a README. */
async function firstExample(readme: string): Promise<string> {
  const text = await readFile(join(REPO_ROOT, readme), 'utf8');
  const m = /```ts\n([\s\S]*?)```/.exec(text);
  if (!m?.[1]) throw new Error(`${readme} has no \`\`\`ts example`);
  return m[1];
}

const folders: string[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const f of folders.splice(0)) await rm(f, { recursive: true, force: true });
});

/** A user's project folder: the example as `example.ts`, the repository's packages linked in. */
async function project(code: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'newsrag-readme-'));
  folders.push(dir);
  await symlink(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await writeFile(join(dir, 'example.ts'), code);
  return dir;
}

function run(dir: string, env: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'example.ts'], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('README examples run as written', () => {
  it('@newsrag/core: indexes the seed articles and answers with a citation', async () => {
    const dir = await project(await firstExample('packages/core/README.md'));
    await cp(SEED_ARTICLES, join(dir, 'data/articles'), { recursive: true });
    const { child, output } = run(dir);
    expect(await exitCode(child), output()).toBe(0);
    expect(output()).toMatch(/added: 3/);
    expect(output()).toMatch(/limousine|car/);
    expect(output()).toMatch(/\[1\]/);
  });

  it('@newsrag/embed: embeds with the real model and prints its fingerprint id', async () => {
    const code = await firstExample('packages/embed/README.md');
    // The example must name the model this machine has (the hub is out of reach here).
    expect(code).toContain(`model: '${REAL_MODEL}'`);
    const dir = await project(code);
    const { child, output } = run(dir);
    expect(await exitCode(child), output()).toBe(0);
    expect(output()).toMatch(/^[0-9a-f]{16} \d+$/m);
  });

  it('@newsrag/discord-bot: starts the bot, which logs in and answers', async () => {
    const standin = await DiscordStandin.start();
    try {
      const dir = await project(await firstExample('apps/discord-bot/README.md'));
      const indexDir = join(dir, 'index');
      const kb = await openKnowledgeBase({ indexDir, model: 'standin' });
      await kb.index([SEED_ARTICLES]);
      await kb.close();
      const { child, output } = run(dir, {
        DISCORD_TOKEN: TEST_TOKEN,
        DISCORD_API_URL: standin.apiUrl,
        NEWSRAG_INDEX_DIR: indexDir,
        NEWSRAG_MODEL: 'standin',
      });
      const exited = exitCode(child).then((code) => {
        throw new Error(`the example exited (code ${code}):\n${output()}`);
      });
      exited.catch(() => undefined);
      await Promise.race([standin.waitForIdentify(), exited]);
      const sent = standin.sendCommand({
        name: 'ask',
        options: askOptions('What animal did Kim Jong Un feed carrots to?'),
      });
      expect(textOf(bodyOf(await waitForEdit(standin, sent)))).toMatch(/horse/i);
    } finally {
      await standin.stop();
    }
  });
});
