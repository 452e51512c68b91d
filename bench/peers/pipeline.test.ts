import { describe, expect, it } from 'vitest';
import { capPassage, MAX_PASSAGE_CHARS } from './pipeline.js';

describe('capPassage', () => {
  it('keeps passages up to 1,200 characters whole', () => {
    const p = { articleId: 'a', text: 'x'.repeat(MAX_PASSAGE_CHARS) };
    expect(capPassage(p)).toEqual({ ...p, cut: false });
  });

  it('cuts a longer passage to its first 1,200 characters and says so', () => {
    const text = `${'a'.repeat(1000)}${'b'.repeat(500)}`;
    const c = capPassage({ articleId: 'bbc/tech/001', text });
    expect(c.cut).toBe(true);
    expect(c.articleId).toBe('bbc/tech/001');
    expect(c.text).toHaveLength(1200);
    expect(c.text).toBe(text.slice(0, 1200));
  });
});
