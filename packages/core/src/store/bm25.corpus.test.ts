/** BM25 internals pinned against MiniSearch's own search, on real BBC text from the shared data (`npm run test:corpus`). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BBC_CORPUS, prng } from '@newsrag/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Chunk } from '../types.js';
import { type Bm25Index, buildBm25, documentFrequency } from './bm25.js';
import { Bm25TopK } from './bm25-topk.js';

/** Paragraph chunks of the first BBC business and tech articles (real text), titled by their first line. */
async function bbcChunks(): Promise<{ chunks: Chunk[]; titles: Map<string, string> }> {
  const chunks: Chunk[] = [];
  const titles = new Map<string, string>();
  for (const topic of ['business', 'tech']) {
    for (let i = 1; i <= 25; i++) {
      const id = `${topic}-${i}`;
      const text = await readFile(join(BBC_CORPUS, topic, `${String(i).padStart(3, '0')}.txt`), 'utf8');
      const [title = '', ...paras] = text.split(/\n\s*\n/);
      titles.set(id, title.trim());
      let start = 0;
      paras.forEach((p, ordinal) => {
        chunks.push({
          id: `${id}#${ordinal}`,
          articleId: id,
          ordinal,
          start,
          end: start + p.length,
          text: p,
          tokens: 50,
        });
        start += p.length + 2;
      });
    }
  }
  return { chunks, titles };
}

/** Every distinct whitespace-separated word of the texts, plus words MiniSearch splits or drops. */
function probeWords(chunks: readonly Chunk[]): string[] {
  const words = new Set<string>(["Putin's", '793,000', 'U.S.', 'the', 'x', '7', 'qqqzzz', 'Profits', 'e-mail']);
  for (const c of chunks) for (const w of c.text.split(/\s+/)) if (w) words.add(w);
  return [...words];
}

describe('documentFrequency (reads MiniSearch internals; pinned against search)', () => {
  let index: Bm25Index;
  let words: string[];
  let chunks: Chunk[];
  beforeAll(async () => {
    const bbc = await bbcChunks();
    chunks = bbc.chunks;
    index = buildBm25(chunks, (id) => bbc.titles.get(id));
    words = probeWords(chunks);
  });

  const searchCount = (w: string) => index.search(w, { combineWith: 'OR' }).length;

  it('equals the number of documents a one-word search matches, for every word of the corpus', () => {
    expect(words.length).toBeGreaterThan(1000);
    const wrong = words.filter((w) => documentFrequency(index, w) !== searchCount(w));
    expect(wrong).toEqual([]);
    // It is not trivially zero: title words reach every chunk of their article.
    expect(documentFrequency(index, 'profits')).toBeGreaterThan(5);
    expect(documentFrequency(index, 'the')).toBe(0);
    expect(documentFrequency(index, 'qqqzzz')).toBe(0);
  });

  it('still agrees after documents are discarded (not yet vacuumed) and after vacuuming', async () => {
    index.discardAll(chunks.slice(0, 40).map((c) => c.id));
    expect(index.dirtCount).toBeGreaterThan(0);
    const sample = words.filter((_, i) => i % 7 === 0);
    expect(sample.filter((w) => documentFrequency(index, w) !== searchCount(w))).toEqual([]);
    await index.vacuum();
    expect(sample.filter((w) => documentFrequency(index, w) !== searchCount(w))).toEqual([]);
  });
});

describe('Bm25TopK (reads MiniSearch internals; pinned against search)', () => {
  let index: Bm25Index;
  let scorer: Bm25TopK;
  let queries: string[];
  beforeAll(async () => {
    const bbc = await bbcChunks();
    index = buildBm25(bbc.chunks, (id) => bbc.titles.get(id));
    scorer = new Bm25TopK(index);
    const words = probeWords(bbc.chunks);
    const rng = prng(11);
    const pick = () => words[Math.floor(rng() * words.length)] as string;
    queries = Array.from({ length: 150 }, (_, i) => {
      const n = 1 + (i % 6);
      const q = Array.from({ length: n }, pick);
      if (i % 5 === 0) q.push(q[0] as string); // a repeated word
      return q.join(' ');
    });
    queries.push('profits growth economy', 'Google shares', 'the of and', 'qqqzzz');
  });

  const ids = (hits: { doc: number; score: number }[]) => {
    const byShort = new Map(scorer.documents());
    return hits.map((h) => ({ id: byShort.get(h.doc), score: h.score }));
  };

  it('gives exactly MiniSearch’s top k (ids, scores, order of ties) for 150 real-word queries', () => {
    expect(scorer.usable()).toBe(true);
    let nonEmpty = 0;
    for (const q of queries) {
      for (const k of [1, 10, 50]) {
        const want = index
          .search(q, { combineWith: 'OR' })
          .slice(0, k)
          .map((r) => ({ id: r.id as string, score: r.score }));
        expect(ids(scorer.search(q, k, null)), q).toEqual(want);
        if (want.length > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(300);
  });

  it('filters after scoring, as MiniSearch does', () => {
    const byShort = new Map(scorer.documents());
    const allowed = (id: string | undefined) => id?.startsWith('tech-') ?? false;
    for (const q of queries.slice(0, 40)) {
      const want = index
        .search(q, { combineWith: 'OR', filter: (r) => allowed(r.id as string) })
        .slice(0, 20)
        .map((r) => ({ id: r.id as string, score: r.score }));
      expect(ids(scorer.search(q, 20, (doc) => allowed(byShort.get(doc)))), q).toEqual(want);
    }
  });
});
