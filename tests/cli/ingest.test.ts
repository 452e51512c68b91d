/**
 * `newsrag ingest`, `feeds` and `watch` as a user runs them (the built CLI, stand-in model),
 * against a real HTTP server on 127.0.0.1.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../support/feed-server.js';

const run = promisify(execFile);

async function newsrag(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NEWSRAG_MODEL: 'standin' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let work: string;
let server: FeedServer;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
  work = await mkdtemp(path.join(tmpdir(), 'newsrag-cli-ingest-'));
  server = await startFeedServer();
  server.fixture('/rss.xml', 'rss2.xml', 'application/rss+xml');
  server.fixture('/dups.xml', 'dup-guids.xml', 'application/rss+xml');
  server.fixture('/news/library.html', 'library.html', 'text/html');
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('newsrag ingest', () => {
  it('prints the documented --json summary, then answers from what it ingested', async () => {
    const args = ['ingest', '--feed', `${server.base}/rss.xml`, '--feed', `${server.base}/dups.xml`];
    const r = await newsrag(work, [...args, '--articles-dir', 'news', '--allow-host', '127.0.0.1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s).slice(0, 7)).toEqual([
      'fetched',
      'new',
      'updated',
      'unchanged',
      'notModified',
      'duplicates',
      'issues',
    ]);
    expect(s).toMatchObject({ fetched: 3, new: 3, notModified: 0, issues: [] });
    expect(s.duplicates).toHaveLength(1);
    const again = JSON.parse(
      (await newsrag(work, [...args, '--articles-dir', 'news', '--allow-host', '127.0.0.1', '--json'])).stdout,
    );
    expect(again).toMatchObject({ fetched: 0, new: 0, notModified: 2, index: { chunksEmbedded: 0 } });
    const a = await newsrag(work, ['ask', 'How many books were freeze-dried at the Lakeside library?', '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).citations[0].title).toBe('Lakeside library reopens after flood repairs');
  });

  it('refuses 127.0.0.1 without --allow-host, reporting the feed (exit 1)', async () => {
    const r = await newsrag(work, ['ingest', '--feed', `${server.base}/rss.xml`, '--articles-dir', 'other', '--json']);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.issues[0]).toMatchObject({ code: 'FETCH_BLOCKED', url: `${server.base}/rss.xml` });
  });
});

describe('newsrag feeds', () => {
  it('adds, lists and removes feeds in the feeds file', async () => {
    const file = path.join(work, 'my-feeds.txt');
    expect((await newsrag(work, ['feeds', 'add', `${server.base}/rss.xml`, '--feeds-file', file])).stdout).toMatch(
      /^Added/,
    );
    expect((await newsrag(work, ['feeds', 'add', 'ftp://example.com/x', '--feeds-file', file])).code).toBe(2);
    expect(JSON.parse((await newsrag(work, ['feeds', 'list', '--json', '--feeds-file', file])).stdout)).toEqual([
      `${server.base}/rss.xml`,
    ]);
    expect((await newsrag(work, ['feeds', 'remove', `${server.base}/rss.xml`, '--feeds-file', file])).code).toBe(0);
    expect((await newsrag(work, ['feeds', 'list', '--feeds-file', file])).stdout).toBe('');
  });
});

describe('newsrag watch', () => {
  it('refreshes at once and ends cleanly on SIGTERM', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [
        CLI,
        'watch',
        '--every',
        '1h',
        '--feed',
        `${server.base}/rss.xml`,
        '--articles-dir',
        'watched',
        '--allow-host',
        '127.0.0.1',
        '--json',
      ],
      { cwd: work, env: { ...process.env, NEWSRAG_MODEL: 'standin' } },
    );
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const until = Date.now() + 60_000;
    while (!out.includes('\n') && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(JSON.parse(out.split('\n')[0] ?? '')).toMatchObject({ new: 2 });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
