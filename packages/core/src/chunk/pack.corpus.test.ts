/** chunkArticle on the BBC corpus from the shared data (`npm run test:corpus`). */

import { BBC_CORPUS, CORPORA_DIR } from '@newsrag/test-support';
import { checkChunks } from '@newsrag/test-support/check-chunks';
import { loadTestTokenizer } from '@newsrag/test-support/test-tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { readArticles } from '../articles/read.js';
import { chunkArticle } from './pack.js';

let countTokens: (text: string) => number;

beforeAll(async () => {
  countTokens = (await loadTestTokenizer()).countTokens;
});

describe('chunkArticle on the BBC corpus', () => {
  it('keeps every promise on all 2,225 articles', async () => {
    const { articles } = await readArticles([BBC_CORPUS], { root: CORPORA_DIR });
    expect(articles).toHaveLength(2225);
    // The checks count every sentence again: remember counts so each text is tokenized once.
    const real = countTokens;
    const memo = new Map<string, number>();
    countTokens = (t) => {
      let n = memo.get(t);
      if (n === undefined) {
        n = real(t);
        memo.set(t, n);
      }
      return n;
    };
    const options = { countTokens, maxTokens: 256 };
    let total = 0;
    for (const a of articles) {
      const chunks = chunkArticle(a, options);
      // BBC files start with a headline line, which goes into the header.
      expect(a.meta.title).toBeDefined();
      checkChunks(a, chunks, options);
      total += chunks.length;
    }
    countTokens = real;
    expect(total).toBeGreaterThan(8000);
  }, 180_000);
});
