import { describe, expect, it } from 'vitest';
import { buildBm25 } from './bm25.js';
import { Bm25TopK } from './bm25-topk.js';

// documentFrequency and Bm25TopK's agreement with MiniSearch is pinned on real BBC text in
// bm25.corpus.test.ts (`npm run test:corpus`).
describe('Bm25TopK', () => {
  it('declares itself unusable once documents are added or discarded', () => {
    const own = buildBm25(
      [{ id: 'a#0', articleId: 'a', ordinal: 0, start: 0, end: 5, text: 'hello world', tokens: 2 }],
      () => 'T',
    );
    const s = new Bm25TopK(own);
    expect(s.usable()).toBe(true);
    own.add({ id: 'b#0', text: 'more words', title: 'U' });
    expect(s.usable()).toBe(false);
    const other = buildBm25(
      [{ id: 'a#0', articleId: 'a', ordinal: 0, start: 0, end: 5, text: 'hello world', tokens: 2 }],
      () => 'T',
    );
    const t = new Bm25TopK(other);
    other.discard('a#0');
    expect(t.usable()).toBe(false);
  });
});
