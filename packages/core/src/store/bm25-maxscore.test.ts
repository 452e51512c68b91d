import { prng } from '@newsrag/test-support';
import { describe, expect, it } from 'vitest';
import { ArrayCursor, maxScoreSearch } from './bm25-maxscore.js';
import { BM25_PLUS_DEFAULTS } from './bm25-plus.js';
import { RowBm25Scorer, RowPostings } from './bm25-rows.js';

/**
 * A random index as per-term postings over `rows` rows grouped into articles (a title term
 * holds every row of its article), with Zipf-like term frequencies so some terms are in
 * most rows and some in a handful, as at 1M chunks.
 */
function randomIndex(seed: number) {
  const rng = prng(seed);
  const articles = 5 + Math.floor(rng() * 200);
  const vocabulary = 3 + Math.floor(rng() * 40);
  const firstRow: number[] = [];
  let rows = 0;
  for (let a = 0; a < articles; a++) {
    firstRow.push(rows);
    rows += 1 + Math.floor(rng() * 8);
  }
  firstRow.push(rows);
  // Per term: the chance a row's text holds it (1/rank^1.1, some near 1) and a title's.
  const text: Map<number, number>[] = Array.from({ length: vocabulary }, () => new Map());
  const title: Map<number, number>[] = Array.from({ length: vocabulary }, () => new Map());
  const lengths = new Uint32Array(rows * 2);
  for (let a = 0; a < articles; a++) {
    const titleLength = 1 + Math.floor(rng() * 12);
    const titleTerms = new Map<number, number>();
    for (let w = 0; w < vocabulary; w++) {
      if (rng() < 0.6 / (w + 1) ** 1.1) titleTerms.set(w, 1 + Math.floor(rng() * rng() * 3));
    }
    for (let r = firstRow[a] as number; r < (firstRow[a + 1] as number); r++) {
      // Equal lengths and frequencies are common, so equal scores (ties) are too.
      lengths[r * 2] = 1 + Math.floor(rng() * 6) * 10;
      lengths[r * 2 + 1] = titleLength;
      for (let w = 0; w < vocabulary; w++) {
        if (rng() < 0.9 / (w + 1) ** 1.1) text[w]?.set(r, 1 + Math.floor(rng() * rng() * 6));
      }
      for (const [w, tf] of titleTerms) title[w]?.set(r, tf);
    }
  }
  const toPostings = (m: Map<number, number>) => {
    const docs = Int32Array.from([...m.keys()].sort((x, y) => x - y));
    return new RowPostings(
      docs,
      Int32Array.from(docs, (d) => m.get(d) as number),
      docs.length,
    );
  };
  const postings = new Map<string, [RowPostings, RowPostings]>();
  for (let w = 0; w < vocabulary; w++) {
    const t = text[w] as Map<number, number>;
    const u = title[w] as Map<number, number>;
    if (t.size + u.size > 0) postings.set(`w${w}`, [toPostings(t), toPostings(u)]);
  }
  let textSum = 0;
  let titleSum = 0;
  for (let r = 0; r < rows; r++) {
    textSum += lengths[r * 2] as number;
    titleSum += lengths[r * 2 + 1] as number;
  }
  return { rng, rows, vocabulary, lengths, postings, averages: [textSum / rows, titleSum / rows] as const };
}

describe('maxScoreSearch', () => {
  it('ranks 300 random indexes and queries exactly as the exhaustive scorer: same rows, same scores, same tie order', () => {
    let pruned = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { rng, rows, vocabulary, lengths, postings, averages } = randomIndex(seed);
      const exhaustive = new RowBm25Scorer(rows, lengths, averages);
      const queryLength = 1 + Math.floor(rng() * 7);
      // Repeats and words with no postings included.
      const query = Array.from({ length: queryLength }, () => `w${Math.floor(rng() * (vocabulary + 3))}`);
      const k = [1, 3, 10, 50, rows][Math.floor(rng() * 5)] as number;
      const allowed = rng() < 0.3 ? new Set(Array.from({ length: rows }, (_, r) => r).filter(() => rng() < 0.5)) : null;
      const accept = allowed === null ? null : (row: number) => allowed.has(row);
      const expected = exhaustive.search(query, (t) => postings.get(t), k, accept);
      let lookups = 0;
      const got = maxScoreSearch(
        query,
        (t) => {
          const p = postings.get(t);
          if (!p) return undefined;
          return {
            textRows: p[0].size,
            titleRows: p[1].size,
            cursor: (iterate: boolean) => {
              const c = new ArrayCursor(p[0], p[1]);
              if (iterate) return c;
              // A lookup-only cursor, as the SQLite engine's skip cursor: never enumerated.
              return {
                textTf: 0,
                titleTf: 0,
                row: 0x7fffffff,
                lookup(row: number) {
                  lookups++;
                  c.lookup(row);
                  this.textTf = c.textTf;
                  this.titleTf = c.titleTf;
                },
                take() {
                  throw new Error('a lookup cursor was enumerated');
                },
              };
            },
          };
        },
        rows,
        lengths,
        averages,
        k,
        accept,
        BM25_PLUS_DEFAULTS,
        [0, 1 / 64, 0.2, 1][seed % 4],
      );
      expect(got, `seed ${seed}, query ${query.join(' ')}, k ${k}`).toEqual(expected);
      const matching = new Set<number>();
      for (const t of new Set(query)) for (const p of postings.get(t) ?? []) for (const d of p.docs) matching.add(d);
      if (lookups < matching.size * new Set(query).size) pruned++;
    }
    // The pruning does happen (otherwise the test would only show an exhaustive scorer agrees with itself).
    expect(pruned).toBeGreaterThan(100);
  });

  it('returns nothing for k ≤ 0 or a query with no postings', () => {
    const { rows, lengths, postings, averages } = randomIndex(7);
    const sourceOf = (t: string) => {
      const p = postings.get(t);
      return p && { textRows: p[0].size, titleRows: p[1].size, cursor: () => new ArrayCursor(p[0], p[1]) };
    };
    expect(maxScoreSearch(['w0'], sourceOf, rows, lengths, averages, 0, null)).toEqual([]);
    expect(maxScoreSearch(['nothing'], sourceOf, rows, lengths, averages, 5, null)).toEqual([]);
  });
});
