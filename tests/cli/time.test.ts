/**
 * Time-aware answers through the built CLI, as a user runs it, with the real all-MiniLM-L6-v2
 * (in the model cache; see tests/support/paths.ts): dates on citations, `when`, the text
 * answer's resolved dates, `eval`'s date accuracy and `timeline` on the seed articles.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, REAL_MODEL, SEED_ARTICLES, TIME_DEV } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let work: string;

async function newsrag(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, '--model', REAL_MODEL, ...args], {
    cwd: work,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
  work = await mkdtemp(path.join(tmpdir(), 'newsrag-cli-time-'));
  await cp(SEED_ARTICLES, path.join(work, 'data', 'articles'), { recursive: true });
  await newsrag(['index', 'data/articles']);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('newsrag CLI, time-aware', () => {
  it('ask --json gives each citation its dates and answers a when-question with `when`', async () => {
    const out = JSON.parse(await newsrag(['ask', 'When did Putin first give Kim an Aurus limousine?', '--json']));
    expect(out.when).toBe('2024-02');
    expect(out.citations[0].dates).toContainEqual(
      expect.objectContaining({ expression: 'February this year', value: '2024-02', precision: 'month' }),
    );
    const text = await newsrag(['ask', 'When did Putin first give Kim an Aurus limousine?']);
    expect(text).toMatch(/^When: February 2024$/m);
    expect(text).toMatch(/in February this year .*\[1\] \(February 2024\)/);
  });

  it('ask --json has when: null for a question that does not ask when', async () => {
    const out = JSON.parse(await newsrag(['ask', 'What dog breed did Kim give Putin?', '--json']));
    expect(out.when).toBeNull();
  });

  it('ask --since/--until keeps only articles dated within the range, undated ones out', async () => {
    const q = 'When did Putin arrive in Pyongyang?';
    const before = JSON.parse(await newsrag(['ask', q, '--until', '2024-06-20', '--json']));
    const ids = new Set(before.passages.map((p: { articleId: string }) => p.articleId));
    expect([...ids]).toEqual(['001_f936b67f468a0892']);
    expect(before.when).toBe('2024-06-19');
    const after = JSON.parse(await newsrag(['ask', q, '--since', '2025', '--json']));
    expect(after.abstained).toBe(true);
    expect(after.passages).toEqual([]);
    await expect(newsrag(['ask', q, '--since', 'June'])).rejects.toMatchObject({ code: 2 });
  });

  it('eval prints the date accuracy of the time set', async () => {
    const out = await newsrag(['eval', TIME_DEV]);
    const m = /dates: (\d)\/7 right \([\d.]+\), (\d+) invented/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(6);
    expect(m?.[2]).toBe('0');
  });

  it('timeline lists the seed events in order, undated ones apart', async () => {
    const t = JSON.parse(await newsrag(['timeline', 'Putin and Kim', '--json']));
    const dates: string[] = t.events.map((e: { date: string }) => e.date);
    const wanted = ['2000', '2023', '2024-02', '2024-06-19', '2024-06-20'];
    const at = wanted.map((d) => dates.indexOf(d));
    expect(
      at.every((i) => i >= 0),
      dates.join(' '),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect([...dates].sort()).toEqual(dates);
    for (const e of t.events) expect(e.citations.length).toBeGreaterThan(0);
    // The undated article (002) gives its "Wednesday" and "Sunday" no date.
    expect(t.undated.length).toBeGreaterThan(0);
    for (const u of t.undated) expect(u.citations[0].articleId).toBe('002_f0f8caaea104d497');
    const text = await newsrag(['timeline', 'Putin and Kim']);
    expect(text).toMatch(/^February 2024 +According to reports, Putin had gifted Kim/m);
  });
});
