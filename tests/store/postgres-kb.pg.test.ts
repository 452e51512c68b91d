/**
 * The knowledge base on a real PostgreSQL + pgvector server: the same `openKnowledgeBase`,
 * `index`, `answer` and `evaluate` as on a folder, selected by a `postgres://` location, with
 * the real all-MiniLM-L6-v2. Its answers are held against the embedded engine's on the seed
 * dev questions, and a second knowledge base (another pool, as another process would have)
 * sees the first one's commit on its next question.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type KnowledgeBase, openKnowledgeBase, readQuestions } from '@newsrag/core';
import { CLI, REAL_MODEL, SEED_ARTICLES, SEED_DEV } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgServer, startPostgres } from '../support/postgres.js';

let server: PgServer;
let work: string;
let url: string;
const opened: KnowledgeBase[] = [];

async function kbAt(indexDir: string): Promise<KnowledgeBase> {
  const kb = await openKnowledgeBase({ indexDir, model: REAL_MODEL });
  opened.push(kb);
  return kb;
}

beforeAll(async () => {
  server = await startPostgres();
  url = server.url({ schema: 'seeds' });
  work = await mkdtemp(path.join(tmpdir(), 'newsrag-pg-kb-'));
  await cp(SEED_ARTICLES, path.join(work, 'articles'), { recursive: true });
});

afterAll(async () => {
  for (const kb of opened) await kb.close();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a knowledge base on PostgreSQL', () => {
  it('indexes the seeds and answers the seed dev questions as well as the embedded engine', async () => {
    const pg = await kbAt(url);
    const embedded = await kbAt(path.join(work, 'index'));
    const articles = path.join(work, 'articles');
    const [a, b] = [await pg.index([articles]), await embedded.index([articles])];
    expect(a.added).toBeGreaterThan(0);
    expect(a.added).toBe(b.added);
    expect((await pg.stats()).chunks).toBe((await embedded.stats()).chunks);
    expect((await pg.stats({ check: true })).check?.ok).toBe(true);
    // A second run with nothing changed writes nothing.
    expect((await pg.index([articles])).added).toBe(0);

    const questions = await readQuestions(SEED_DEV);
    const [onPg, onFile] = [await pg.evaluate(questions), await embedded.evaluate(questions)];
    // Both engines analyse and score lexically alike (postgres-lexical.pg.test.ts holds that exactly);
    // the pipeline reads a per-question slice on Postgres, so the floor is held here.
    expect(onPg.n).toBe(onFile.n);
    expect(Math.abs(onPg.mrr10 - onFile.mrr10)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(onPg.hitAt5 - onFile.hitAt5)).toBeLessThanOrEqual(0.02);
    expect(onPg.abstention.correct).toBeGreaterThanOrEqual(onFile.abstention.correct - 1);

    const answer = await pg.answer('What gifts did Putin and Kim exchange?');
    expect(answer.abstained).toBe(false);
    expect(answer.citations.length).toBeGreaterThan(0);
    for (const c of answer.citations) {
      const passage = answer.passages.find((p) => p.articleId === c.articleId);
      expect(passage, `citation of ${c.articleId} among the passages`).toBeDefined();
    }
    // The filter is pushed into SQL: only the asked article's passages come back.
    const only = answer.citations[0]?.articleId as string;
    const filtered = await pg.search('Putin Kim gifts', { filter: { articleIds: [only] } });
    expect(filtered.length).toBeGreaterThan(0);
    expect(new Set(filtered.map((p) => p.articleId))).toEqual(new Set([only]));
  });

  it('a second knowledge base on the same index sees the first one’s commit on its next question', async () => {
    const writer = await kbAt(url);
    const reader = await kbAt(url);
    const question = 'What did the Zorblatt Institute announce about the glacier?';
    expect((await reader.answer(question)).passages.some((p) => p.title?.includes('Zorblatt'))).toBe(false);
    const extra = path.join(work, 'extra');
    await cp(path.join(work, 'articles'), extra, { recursive: true });
    await writeFile(
      path.join(extra, 'zorblatt.md'),
      [
        '---',
        'title: Zorblatt Institute maps a shrinking glacier',
        'date: 2026-11-30',
        'source: test',
        '---',
        'The Zorblatt Institute announced on Monday that the Vatnajokull glacier lost four metres of ice this year.',
        'Researchers at the institute said the loss was the largest they had measured since records began.',
        '',
      ].join('\n'),
    );
    expect((await writer.index([extra])).added).toBe(1);
    const after = await reader.answer(question);
    expect(after.passages[0]?.title).toBe('Zorblatt Institute maps a shrinking glacier');
    expect(after.abstained).toBe(false);
    expect(after.answer).toContain('four metres');
  });

  it('newsrag migrate copies an index to Postgres and back without re-embedding; --index reads it', async () => {
    const newsrag = async (...args: string[]) =>
      (await promisify(execFile)(process.execPath, [CLI, '--model', REAL_MODEL, ...args], { cwd: work })).stdout;
    const copy = server.url({ schema: 'copied' });
    const back = path.join(work, 'back');
    const there = await newsrag('migrate', '--from', path.join(work, 'index'), '--to', copy);
    expect(there).toMatch(/^Copied \d+ articles \(\d+ chunks\) .* verified counts, model and \d+ articles read back/);
    // A second copy onto a held index is refused unless asked to replace it.
    const refused = await newsrag('migrate', '--from', path.join(work, 'index'), '--to', copy).catch((e: unknown) => e);
    expect((refused as { stderr: string }).stderr).toContain('--replace');
    await newsrag('migrate', '--from', copy, '--to', back);
    expect(JSON.parse(await newsrag('--index', back, 'stats', '--check', '--json')).check.ok).toBe(true);
    // The round trip kept every vector and chunk: the copy searches exactly as the original.
    const question = 'What gifts did Putin and Kim exchange?';
    const [original, returned] = [
      JSON.parse(await newsrag('--index', path.join(work, 'index'), 'ask', question, '--json')),
      JSON.parse(await newsrag('--index', back, 'ask', question, '--json')),
    ];
    expect(returned.passages).toEqual(original.passages);
    expect(returned.citations).toEqual(original.citations);
    expect(returned.answer).toBe(original.answer);
    // On a new schema, migrate shows the steps (--dry-run applies none), then applies them once.
    const fresh = server.url({ schema: 'fresh' });
    expect(await newsrag('--index', fresh, 'migrate', '--dry-run')).toMatch(/^would apply 1: /m);
    expect(await newsrag('--index', fresh, 'migrate', '--dry-run')).toMatch(/^would apply 1: /m);
    expect(await newsrag('--index', fresh, 'migrate')).toMatch(/^applying 1: [\s\S]*Applied \d+ migration/m);
    expect(await newsrag('--index', fresh, 'migrate')).toMatch(/is up to date/);
    const onPg = JSON.parse(await newsrag('--index', copy, 'ask', question, '--json'));
    expect(onPg.abstained).toBe(false);
    expect(onPg.citations.length).toBeGreaterThan(0);
  });

  it('names an unreachable server in its error', async () => {
    const error = await openKnowledgeBase({ indexDir: 'postgres://nobody@127.0.0.1:1/none', model: 'standin' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'INDEX_NOT_FOUND' });
    expect((error as Error).message).toContain('127.0.0.1:1');
  });
});
