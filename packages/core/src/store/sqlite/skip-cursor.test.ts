import { prng } from '@newsrag/test-support';
import { describe, expect, it } from 'vitest';
import { encodeSegment, segmentSkips } from './postings.js';
import { SkipCursor } from './skip-cursor.js';

/** Articles of 1–10 chunks with gaps between seqs, so skip blocks start mid-article. */
function layoutOf(rng: () => number, articles: number) {
  const seqs: number[] = [];
  const firstRow: number[] = [];
  const counts: number[] = [];
  let seq = 0;
  let rows = 0;
  for (let a = 0; a < articles; a++) {
    seq += 1 + Math.floor(rng() * 3);
    seqs.push(seq);
    firstRow.push(rows);
    const n = 1 + Math.floor(rng() * 10);
    counts.push(n);
    rows += n;
  }
  const rowArticle = new Int32Array(rows);
  counts.forEach((n, a) => {
    rowArticle.fill(a, firstRow[a] as number, (firstRow[a] as number) + n);
  });
  return { seqs, firstRow: Int32Array.from(firstRow), counts, rows, rowArticle };
}

describe('SkipCursor', () => {
  it('finds every live entry of several segments through their skip data, for any ascending set of rows', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rng = prng(seed);
      const l = layoutOf(rng, 100 + Math.floor(rng() * 300));
      // Per article: the generation of its postings; a segment of an older generation holds dead entries for it.
      const writtenAt = Float64Array.from(l.seqs, () => 1 + Math.floor(rng() * 3));
      const truthText = new Map<number, number>();
      const truthTitle = new Map<number, number>();
      const segments: [number, Buffer, Buffer | null][] = [];
      for (let generation = 1; generation <= 3; generation++) {
        const text: number[] = [];
        const title: number[] = [];
        l.seqs.forEach((seq, a) => {
          // As in an index: an article's entries are in segments up to the one it was last written in, live only there.
          if (generation > (writtenAt[a] as number)) return;
          const live = writtenAt[a] === generation;
          for (let o = 0; o < (l.counts[a] as number); o++) {
            if (rng() < 0.5) continue;
            const tf = 1 + Math.floor(rng() * 4);
            text.push(seq, o, tf);
            if (live) truthText.set((l.firstRow[a] as number) + o, tf);
          }
          if (rng() < 0.3) {
            const tf = 1 + Math.floor(rng() * 2);
            title.push(seq, tf);
            if (live)
              for (let o = 0; o < (l.counts[a] as number); o++) truthTitle.set((l.firstRow[a] as number) + o, tf);
          }
        });
        const data = encodeSegment({ text, title });
        segments.push([generation, data, segmentSkips(data)]);
      }
      // Big enough for skip data (several blocks), so lookups jump.
      expect(segments.filter(([, , s]) => s !== null && s.length > 4 + 8 * 3).length).toBeGreaterThan(0);
      // Sparse and dense lookups: from every row to a few rows per skip block.
      for (const step of [1, 8, 60, 200, 700]) {
        const cursor = new SkipCursor(segments, { ...l, writtenAt });
        for (let row = Math.floor(rng() * step); row < l.rows; row += 1 + Math.floor(rng() * step)) {
          cursor.lookup(row);
          expect([cursor.textTf, cursor.titleTf], `seed ${seed} step ${step} row ${row}`).toEqual([
            truthText.get(row) ?? 0,
            truthTitle.get(row) ?? 0,
          ]);
        }
      }
    }
  });
});
