/**
 * A 50 MB article file next to good ones: refused by the documented 20 MiB limit
 * (`ARTICLE_TOO_LARGE`, naming the file and the limit) without being read, so the
 * indexer's memory does not grow with it; the good files are indexed. Measured in a
 * child process so the RSS is the indexer's alone.
 */
import { execFile } from 'node:child_process';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type IndexSummary, readArticles } from '@newsrag/core';
import { REPO_ROOT } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySeeds, tempDir } from './support.js';

const run = promisify(execFile);
const WORKER = fileURLToPath(new URL('./workers/index-big.ts', import.meta.url));
const FIFTY_MB = 50 * 1024 * 1024;

let root: string;

beforeAll(async () => {
  root = await tempDir('big');
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function writeBig(file: string, bytes: number): Promise<void> {
  // Real text (sentences), written in 1 MiB blocks.
  const sentence = 'The ferry crossed the bay again while the harbour lights came on. ';
  const block = Buffer.from(sentence.repeat(Math.ceil(2 ** 20 / sentence.length))).subarray(0, 2 ** 20);
  const handle = await open(file, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) {
      await handle.write(block, 0, Math.min(block.length, bytes - written));
    }
  } finally {
    await handle.close();
  }
}

describe('a 50 MB article file', () => {
  it('is refused by the 20 MiB limit, the rest is indexed, and the RSS does not grow with it', async () => {
    const corpus = path.join(root, 'corpus');
    await mkdir(corpus);
    await copySeeds(corpus);
    const big = path.join(corpus, 'huge.txt');
    await writeBig(big, FIFTY_MB);
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', WORKER, path.join(root, 'index'), corpus],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const out = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
      summary: IndexSummary;
      rssGrowthMiB: number;
      rssPeakMiB: number;
      ms: number;
    };
    console.log(
      `50 MB file: refused in a ${out.ms} ms run, RSS growth ${out.rssGrowthMiB} MiB (peak ${out.rssPeakMiB} MiB)`,
    );
    expect(out.summary.added).toBe(3);
    expect(out.summary.issues).toHaveLength(1);
    expect(out.summary.issues[0]).toMatchObject({ code: 'ARTICLE_TOO_LARGE', path: big });
    expect(out.summary.issues[0]?.message).toContain(big);
    expect(out.summary.issues[0]?.message).toMatch(/52428800 bytes is over the limit of 20971520 bytes/);
    // Reading the file would take 50 MB of bytes plus twice that as a string.
    expect(out.rssGrowthMiB).toBeLessThan(40);
  }, 120_000);

  it('the limit is exact: maxBytes is read, maxBytes + 1 is refused', async () => {
    const dir = path.join(root, 'edge');
    await mkdir(dir);
    const limit = 4096;
    const text = (n: number) => 'Edge case text. '.repeat(Math.ceil(n / 16)).slice(0, n);
    await writeFile(path.join(dir, 'at.txt'), text(limit));
    await writeFile(path.join(dir, 'over.txt'), text(limit + 1));
    const { articles, issues } = await readArticles([dir], { maxBytes: limit });
    expect(articles.map((a) => a.id)).toEqual(['at']);
    expect(issues).toEqual([expect.objectContaining({ code: 'ARTICLE_TOO_LARGE', path: path.join(dir, 'over.txt') })]);
  });
});
