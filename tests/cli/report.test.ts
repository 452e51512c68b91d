/**
 * `newsrag report --json` on a question log and a feedback log written as the bot writes them,
 * run as a user would (the built CLI, stand-in model): the counts, the rates, the unanswered
 * cluster, the titles of the cited articles, and no user id, scope or private field.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { questionLogLine } from '@newsrag/core';
import { CLI, SEED_ARTICLES } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function newsrag(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NEWSRAG_MODEL: 'standin', NEWSRAG_QUESTION_LOG: '', NEWSRAG_FEEDBACK_LOG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const USER_KEY = 'f'.repeat(64);
const GUILD = '112233445566778899';
let work: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
  work = await mkdtemp(path.join(tmpdir(), 'newsrag-report-'));
  await cp(SEED_ARTICLES, path.join(work, 'articles'), { recursive: true });
  const indexed = await newsrag(work, ['index', 'articles', '--json']);
  expect(indexed.code, indexed.stderr).toBe(0);
  const entry = (time: string, question: string, abstained: boolean, cited: string[], answerId: string) =>
    questionLogLine({ time, question, abstained, cited, answerId, scope: GUILD });
  await writeFile(
    path.join(work, 'questions.jsonl'),
    [
      entry('2026-12-01T10:00:00.000Z', 'What dog breed did Kim give Putin?', false, ['000_0b4336e44a9e5dd7'], 'a1'),
      entry('2026-12-01T11:00:00.000Z', 'What did Refco say about its bankruptcy filing?', true, [], 'a2'),
      entry('2026-12-02T09:00:00.000Z', 'What did the Refco executives say about the bankruptcy?', true, [], 'a3'),
      entry('2026-12-02T10:00:00.000Z', 'What did Putin and Kim sign?', false, ['000_0b4336e44a9e5dd7'], 'a4'),
      '{"torn line',
    ].join(''),
  );
  const vote = (answerId: string, v: string) =>
    `${JSON.stringify({ time: '2026-12-02T10:01:00.000Z', answerId, question: null, user: USER_KEY, vote: v })}\n`;
  await writeFile(
    path.join(work, 'feedback.jsonl'),
    vote('a1', 'helpful') + vote('a3', 'not_helpful') + vote('a4', 'helpful'),
  );
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('newsrag report', () => {
  it('--json on a log file gives the counts, rates, the unanswered cluster and titles, nothing personal', async () => {
    const r = await newsrag(work, ['report', '--log', 'questions.jsonl', '--feedback', 'feedback.jsonl', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Skipped 1 damaged line of the question log.');
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      questions: 4,
      abstained: 2,
      abstentionRate: 0.5,
      perDay: [
        { day: '2026-12-01', questions: 2, abstained: 1 },
        { day: '2026-12-02', questions: 2, abstained: 1 },
      ],
      feedback: { helpful: 2, notHelpful: 1 },
      clustering: { threshold: 0.85, clustered: 2, leftOut: 0 },
    });
    expect(report.unanswered).toEqual([
      {
        question: 'What did Refco say about its bankruptcy filing?',
        count: 2,
        variants: ['What did the Refco executives say about the bankruptcy?'],
        lastAsked: '2026-12-02T09:00:00.000Z',
      },
    ]);
    expect(report.topCited).toHaveLength(1);
    expect(report.topCited[0]).toMatchObject({ articleId: '000_0b4336e44a9e5dd7', citations: 2 });
    expect(report.topCited[0].title).toMatch(/\w/);
    expect(r.stdout).not.toContain(USER_KEY);
    expect(r.stdout).not.toContain(GUILD);
  });

  it('names a missing log file with its code', async () => {
    const r = await newsrag(work, ['report', '--log', 'nope.jsonl', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.jsonl/);
    expect(r.stderr).toMatch(/LOG_UNREADABLE|no such file/);
  });

  it('reads the default logs beside the index and prints text', async () => {
    await cp(path.join(work, 'questions.jsonl'), path.join(work, '.newsrag', 'questions.jsonl'));
    const r = await newsrag(work, ['report']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^4 questions from 2026-12-01 to 2026-12-02, 2 unanswered \(50\.0%\)/);
    expect(r.stdout).toContain('2×  What did Refco say about its bankruptcy filing?');
  });
});
