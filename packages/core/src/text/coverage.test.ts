import { describe, expect, it } from 'vitest';
import { evidenceAnalyzer } from './analyzers.js';
import { coverage } from './coverage.js';
import { bm25Idf } from './idf.js';

describe('coverage', () => {
  const idf = new Map([
    [evidenceAnalyzer.stem('population'), bm25Idf(0, 30)],
    [evidenceAnalyzer.stem('vietnam'), bm25Idf(1, 30)],
  ]);
  it('weights rare terms more: a missing unseen term dominates', () => {
    const c = coverage(idf, 'Putin heads to Communist-run Vietnam next.');
    expect(c).toBeGreaterThan(0.3);
    expect(c).toBeLessThan(0.5);
    expect(coverage(idf, 'Vietnam population figures')).toBe(1);
    expect(coverage(new Map(), 'anything')).toBe(0);
  });
});
