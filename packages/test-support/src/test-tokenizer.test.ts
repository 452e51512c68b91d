import { describe, expect, it } from 'vitest';
import { loadTestTokenizer } from './test-tokenizer.js';

describe('loadTestTokenizer (stand-in model tokenizer)', () => {
  it('counts bert-base-uncased WordPiece tokens with [CLS]/[SEP]', async () => {
    const { countTokens } = await loadTestTokenizer();
    expect(countTokens('')).toBe(2);
    // [CLS] hello world . [SEP]
    expect(countTokens('Hello world.')).toBe(5);
    // Accents stripped, lower-cased, punctuation split: [CLS] cafe , zurich ! [SEP]
    expect(countTokens('Café, ZÜRICH!')).toBe(6);
    // Sub-words: "unaffable" is several WordPiece tokens.
    expect(countTokens('unaffable')).toBeGreaterThan(3);
    // White space does not make tokens, so sentence counts add up.
    const a = 'Putin flew into Pyongyang before dawn.';
    const b = 'Kim greeted him on a red carpet.';
    expect(countTokens(`${a} ${b}`)).toBe(countTokens(a) + countTokens(b) - 2);
  });
});
