import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { distinctQuestions } from './questions.js';

const dir = mkdtempSync(join(tmpdir(), 'newsrag-bench-questions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, questions: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${questions.map((question, i) => JSON.stringify({ id: i, question })).join('\n')}\n`);
  return path;
};

describe('distinctQuestions', () => {
  it('takes the files’ questions once each, then rephrasings, never a text twice', () => {
    const a = file('a.jsonl', ['What did Putin sign?', 'Where did they meet?']);
    const b = file('b.jsonl', ['Where did they meet?', 'Who won the match?']);
    const got = distinctQuestions([a, b], 7);
    expect(got.slice(0, 3)).toEqual(['What did Putin sign?', 'Where did they meet?', 'Who won the match?']);
    expect(got[3]).toBe('Does anyone know: what did Putin sign?');
    expect(new Set(got).size).toBe(7);
  });

  it('says how many it has when a run needs more', () => {
    const a = file('c.jsonl', ['What did Putin sign?']);
    expect(() => distinctQuestions([a], 6)).toThrow(/1 questions, 5 texts .* asks 6/);
  });
});
