import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prng, SEED_ARTICLES } from '@newsrag/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Chunk } from '../types.js';
import { type Bm25Index, buildBm25, documentFrequency } from './bm25.js';
import { Bm25TopK } from './bm25-topk.js';

// documentFrequency and Bm25TopK read MiniSearch's internals. Here they are pinned against its
// own search on the three seed articles; bm25.corpus.test.ts does the same on 50 BBC articles
// (`npm run test:corpus`), with many more words.
describe('documentFrequency and Bm25TopK on the seed articles (pinned against search)', () => {
  let index: Bm25Index;
  let words: string[];
  beforeAll(async () => {
    const chunks: Chunk[] = [];
    const titles = new Map<string, string>();
    for (const f of (await readdir(SEED_ARTICLES)).filter((f) => f.endsWith('.txt')).sort()) {
      const id = f.replace(/\.txt$/, '');
      const [title = '', ...paras] = (await readFile(join(SEED_ARTICLES, f), 'utf8')).split(/\n\s*\n/);
      titles.set(id, title.trim());
      paras.forEach((text, ordinal) => {
        chunks.push({ id: `${id}#${ordinal}`, articleId: id, ordinal, start: 0, end: text.length, text, tokens: 50 });
      });
    }
    index = buildBm25(chunks, (id) => titles.get(id));
    const set = new Set<string>(['the', 'qqqzzz', "Putin's", 'U.S.']);
    for (const c of chunks) for (const w of c.text.split(/\s+/)) if (w) set.add(w);
    words = [...set];
  });

  it('documentFrequency equals the number of documents a one-word search matches, for every word', () => {
    expect(words.length).toBeGreaterThan(500);
    const wrong = words.filter((w) => documentFrequency(index, w) !== index.search(w, { combineWith: 'OR' }).length);
    expect(wrong).toEqual([]);
    expect(documentFrequency(index, 'putin')).toBeGreaterThan(3);
  });

  it('Bm25TopK gives exactly MiniSearch’s top k for 100 seed-word queries', () => {
    const scorer = new Bm25TopK(index);
    const byShort = new Map(scorer.documents());
    const rng = prng(5);
    let nonEmpty = 0;
    for (let i = 0; i < 100; i++) {
      const q = Array.from({ length: 1 + (i % 5) }, () => words[Math.floor(rng() * words.length)] as string).join(' ');
      const want = index
        .search(q, { combineWith: 'OR' })
        .slice(0, 10)
        .map((r) => ({ id: r.id as string, score: r.score }));
      const got = scorer.search(q, 10, null).map((h) => ({ id: byShort.get(h.doc), score: h.score }));
      expect(got, q).toEqual(want);
      if (want.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(50);
  });
});

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
