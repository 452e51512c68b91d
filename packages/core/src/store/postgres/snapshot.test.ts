import { prng } from '@newsrag/test-support';
import { describe, expect, it } from 'vitest';
import { sufficientSets } from './snapshot.js';

interface Part {
  term: string;
  bound: number;
}

/** The highest score a chunk matching exactly `parts` could have: bounds summed, times distinct terms. */
const best = (parts: readonly Part[]) =>
  parts.reduce((s, p) => s + p.bound, 0) * new Set(parts.map((p) => p.term)).size;

describe('sufficientSets (the candidate clauses of lexical pruning)', () => {
  it('every combination of parts that could reach θ holds one of the sets: no chunk of the top k is left unscored', () => {
    const rng = prng(7);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rng() * 8);
      // Some terms have two parts (text and title), as real queries do.
      const parts: Part[] = Array.from({ length: n }, (_, i) => ({
        term: `t${Math.floor(i / (1 + Math.floor(rng() * 2)))}`,
        bound: 0.2 + rng() * 12,
      }));
      const theta = rng() * 60;
      const sets = sufficientSets(parts, theta);
      for (let mask = 1; mask < 1 << n; mask++) {
        const matched = parts.filter((_, i) => mask & (1 << i));
        const covered = sets.some((set) => set.every((p) => matched.includes(p)));
        if (best(matched) >= theta) expect(covered, `trial ${trial}, mask ${mask}`).toBe(true);
      }
      // And they prune: a set is never larger than needed by more than its last part.
      for (const set of sets) expect(best(set.slice(0, -1)) * (1 + 1e-9)).toBeLessThan(theta);
    }
  });

  it('θ = 0 (fewer than k matches) makes every part a set alone; common parts go only in pairs', () => {
    const parts = [
      { term: 'rare', bound: 20 },
      { term: 'said', bound: 3 },
      { term: 'year', bound: 4 },
    ];
    expect(sufficientSets(parts, 0).map((s) => s.map((p) => p.term))).toEqual([['rare'], ['year'], ['said']]);
    // θ 12: "rare" alone reaches it; "year" and "said" only together ((4 + 3) × 2 = 14).
    expect(sufficientSets(parts, 12).map((s) => s.map((p) => p.term))).toEqual([['rare'], ['year', 'said']]);
  });
});
