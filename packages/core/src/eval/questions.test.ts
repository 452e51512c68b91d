import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_DEV } from '@newsrag/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { parseQuestions, readQuestions } from './questions.js';

const good = '{"id": "q1", "question": "Who?", "answerable": true, "answers": ["x"], "articles": ["a"]}';

describe('parseQuestions', () => {
  it('parses lines and skips blank ones', () => {
    const qs = parseQuestions(
      `${good}\n\n{"id": "q2", "question": "Why?", "answerable": false, "answers": [], "articles": []}\n`,
      'set.jsonl',
    );
    expect(qs.map((q) => q.id)).toEqual(['q1', 'q2']);
    expect(qs[1]?.answerable).toBe(false);
  });
  it.each([
    [`${good}\n{"id": "q2", "question": "Who?"`, 'set.jsonl:2', 'not valid JSON'],
    [
      `${good}\n{"id": "q2", "question": "Who?", "answerable": "yes", "answers": [], "articles": ["a"]}`,
      'set.jsonl:2',
      '`answerable`',
    ],
    [
      `{"id": "q2", "question": "  ", "answerable": true, "answers": [], "articles": ["a"]}`,
      'set.jsonl:1',
      '`question`',
    ],
    [
      `{"id": "q2", "question": "Who?", "answerable": true, "answers": [], "articles": []}`,
      'set.jsonl:1',
      '`articles`',
    ],
    [`${good}\n${good}`, 'set.jsonl:2', 'duplicate id'],
    ['\n\n', 'set.jsonl', 'no questions'],
  ])('rejects a bad file naming file and line (%#)', (text, where, what) => {
    expect(() => parseQuestions(text, 'set.jsonl')).toThrow(
      expect.objectContaining({ code: 'EVAL_BAD_FILE', message: expect.stringContaining(where) }),
    );
    expect(() => parseQuestions(text, 'set.jsonl')).toThrow(what);
  });
});

describe('readQuestions', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  it('reads the shared dev set', async () => {
    const qs = await readQuestions(SEED_DEV);
    expect(qs.length).toBe(22);
    expect(qs.filter((q) => !q.answerable).map((q) => q.id)).toEqual(['dev21', 'dev22']);
  });
  it('names a missing or broken file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsrag-q-'));
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, `${good}\nnot json\n`);
    await expect(readQuestions(bad)).rejects.toThrow(`${bad}:2`);
    await expect(readQuestions(join(dir, 'none.jsonl'))).rejects.toMatchObject({ code: 'EVAL_BAD_FILE' });
  });
});
