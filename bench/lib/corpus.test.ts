import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BbcFile, buildCorpus, listBbc, questionArticleIds, sampleBbc } from './corpus.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bench-corpus-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = (topic: string, n: number): BbcFile[] =>
  Array.from({ length: n }, (_, i) => ({ topic, name: String(i + 1).padStart(3, '0') }));

describe('sampleBbc', () => {
  const all = [...files('business', 10), ...files('sport', 10), ...files('tech', 10)];

  it('keeps every required article and tops up round-robin across topics', () => {
    const s = sampleBbc(all, 7, new Set(['bbc/tech/009']));
    expect(s).toHaveLength(7);
    expect(s).toContainEqual({ topic: 'tech', name: '009' });
    const topics = s.map((f) => f.topic);
    expect(topics.filter((t) => t === 'business')).toHaveLength(2);
    expect(topics.filter((t) => t === 'sport')).toHaveLength(2);
  });

  it('returns everything when the limit covers the corpus', () => {
    expect(sampleBbc(all, Number.MAX_SAFE_INTEGER, new Set())).toEqual(all);
  });
});

describe('corpus folders', () => {
  it('lists BBC topic folders only and lays seeds at the root, BBC under bbc/', async () => {
    const bbc = path.join(dir, 'bbc-src');
    for (const topic of ['tech', 'business']) {
      await mkdir(path.join(bbc, topic), { recursive: true });
      await writeFile(path.join(bbc, topic, '001.txt'), `${topic} headline\n\nBody.`);
    }
    await writeFile(path.join(bbc, 'SOURCE.md'), 'not an article');
    const seeds = path.join(dir, 'seeds');
    await mkdir(seeds);
    await writeFile(path.join(seeds, '000_x.txt'), 'Seed\n\nText.');
    await writeFile(path.join(seeds, 'README.md'), 'about the seeds');

    const listed = await listBbc(bbc);
    expect(listed).toEqual([
      { topic: 'business', name: '001' },
      { topic: 'tech', name: '001' },
    ]);
    const out = path.join(dir, 'mixed');
    const built = await buildCorpus(out, { seedsDir: seeds, bbcDir: bbc, bbcFiles: listed });
    expect(built.articles).toBe(3);
    expect((await readdir(out)).sort()).toEqual(['000_x.txt', 'bbc']);
    expect(await readFile(path.join(out, 'bbc/tech/001.txt'), 'utf8')).toBe('tech headline\n\nBody.');
  });

  it('collects the article ids a question file needs', async () => {
    const q = path.join(dir, 'q.jsonl');
    await writeFile(
      q,
      `${JSON.stringify({ id: 'a', articles: ['bbc/tech/001'] })}\n\n${JSON.stringify({ id: 'b', articles: [] })}\n`,
    );
    expect([...(await questionArticleIds([q]))]).toEqual(['bbc/tech/001']);
  });
});
