import { describe, expect, it } from 'vitest';
import { parseArticleFile } from './articles/formats.js';
import { clip, EXCERPT_CHARS, excerpt } from './excerpt.js';

describe('excerpt', () => {
  it('quotes small values as JSON and cuts long ones', () => {
    expect(excerpt('June 31')).toBe('"June 31"');
    expect(excerpt([1, { a: true }])).toBe('[1,{"a":true}]');
    expect(excerpt('x'.repeat(10_000)).length).toBeLessThanOrEqual(EXCERPT_CHARS + 1);
    expect(clip('y'.repeat(500), 10)).toBe(`${'y'.repeat(10)}… (490 more characters)`);
  });

  it('never expands shared sub-values beyond the budget, and ends cycles', () => {
    // 10 levels of 10 references: 10^10 leaves when expanded.
    let v: unknown = 'lol';
    for (let i = 0; i < 10; i++) v = Array.from({ length: 10 }, () => v);
    expect(excerpt(v).length).toBeLessThanOrEqual(EXCERPT_CHARS + 1);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(excerpt(cyclic)).toBe('{"self":…}');
  });
});

describe('issue messages quote a bounded excerpt', () => {
  it('a YAML alias bomb in the date of a front matter makes a short message', async () => {
    // 461 bytes that expand to ~10^9 characters as JSON (the review's example, one level deeper).
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(
        `${name}: &${name} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    const md = `---\n${levels.join('\n')}\ndate: *j\n---\nBody text here.\n`;
    const started = performance.now();
    const result = await parseArticleFile('markdown', md, 'bomb.md');
    const ms = performance.now() - started;
    const messages = result.issues.map((i) => i.message);
    expect(messages.some((m) => m.includes('field "date"'))).toBe(true);
    for (const m of messages) expect(m.length).toBeLessThan(400);
    console.log(`alias-bomb front matter (${md.length} bytes) parsed in ${ms.toFixed(1)} ms`);
  });

  it('a huge bad JSON value is quoted in at most a few hundred characters', async () => {
    const line = `{"text": "x", "date": "${'9'.repeat(1_000_000)}"}`;
    const bad = `{"text": ${'['.repeat(100_000)}`;
    const result = await parseArticleFile('jsonl', `${line}\n${bad}\n`, 'big.jsonl');
    expect(result.issues.length).toBe(2);
    for (const i of result.issues) expect(i.message.length).toBeLessThan(400);
  });
});
