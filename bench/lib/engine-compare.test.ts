import { describe, expect, it } from 'vitest';
import {
  type EngineScore,
  evenlySpaced,
  movedQuestions,
  mrrFloors,
  pairScores,
  updateDigest,
} from './engine-compare.js';

const score = (set: string, mode: EngineScore['mode'], mrr10: number, hitAt5 = 0.5): EngineScore => ({
  set,
  mode,
  n: 20,
  hitAt5,
  mrr10,
  questions: 22,
  abstentionCorrect: 21,
});

describe('engine comparison', () => {
  it('pairs rows by set and mode whatever their order, with Postgres minus embedded', () => {
    const pairs = pairScores(
      [score('seed', 'hybrid', 0.8, 0.9), score('seed', 'bm25', 0.6)],
      [score('seed', 'bm25', 0.65), score('seed', 'hybrid', 0.75, 0.85)],
    );
    expect(pairs.map((p) => [p.set, p.mode])).toEqual([
      ['seed', 'hybrid'],
      ['seed', 'bm25'],
    ]);
    expect(pairs[0]?.deltaMrr10).toBeCloseTo(-0.05, 10);
    expect(pairs[0]?.deltaHitAt5).toBeCloseTo(-0.05, 10);
    expect(pairs[1]?.deltaMrr10).toBeCloseTo(0.05, 10);
  });

  it('refuses rows only one engine measured, or sets of different sizes', () => {
    expect(() => pairScores([score('seed', 'hybrid', 0.8)], [score('bbc', 'hybrid', 0.8)])).toThrow(
      /no score for "seed"/,
    );
    expect(() => pairScores([score('seed', 'hybrid', 0.8)], [])).toThrow(/different sets/);
    expect(() =>
      pairScores([score('seed', 'hybrid', 0.8)], [{ ...score('seed', 'hybrid', 0.8), questions: 21 }]),
    ).toThrow(/22 questions on one engine and 21/);
  });

  it('checks |Δ MRR@10| against the floor on the hybrid rows only, both signs, passing at the limit', () => {
    const floors = mrrFloors(
      pairScores(
        [score('a', 'hybrid', 0.5), score('b', 'hybrid', 0.5), score('c', 'hybrid', 0.5), score('a', 'bm25', 0.5)],
        [score('a', 'hybrid', 0.52), score('b', 'hybrid', 0.479), score('c', 'hybrid', 0.53), score('a', 'bm25', 0.9)],
      ),
    );
    expect(floors.map((f) => f.status)).toEqual(['PASS', 'FAIL', 'FAIL']);
    expect(floors[1]?.measured).toBe('0.021 MRR@10');
    expect(floors[1]?.note).toBe('embedded 0.500, Postgres 0.479');
  });

  it('lists the questions whose first-hit rank differs, a missing one as no hit', () => {
    const r = (id: string, rank: number | null) => ({ set: 's', mode: 'hybrid' as const, id, rank, abstained: false });
    expect(
      movedQuestions([r('q1', 1), r('q2', 3), r('q3', null), r('q4', 2)], [r('q1', 1), r('q2', null), r('q3', 4)]),
    ).toEqual([
      { set: 's', mode: 'hybrid', id: 'q2', embedded: 3, postgres: null },
      { set: 's', mode: 'hybrid', id: 'q3', embedded: null, postgres: 4 },
      { set: 's', mode: 'hybrid', id: 'q4', embedded: 2, postgres: null },
    ]);
  });

  it('spreads picks evenly, and takes everything when asked for more', () => {
    const ids = Array.from({ length: 10 }, (_, i) => i);
    expect(evenlySpaced(ids, 5)).toEqual([0, 2, 4, 6, 8]);
    expect(evenlySpaced(ids, 3)).toEqual([0, 3, 6]);
    expect(evenlySpaced(ids, 0)).toEqual([]);
    expect(evenlySpaced(ids, 12)).toEqual(ids);
    expect(() => evenlySpaced(ids, 1.5)).toThrow(RangeError);
  });

  it('gives equal updates one digest and any changed byte another', () => {
    const upsert = (v: number) => ({
      record: { id: 'a', path: '/a.txt', hash: 'h', meta: { title: 'A' }, length: 4, chunkCount: 1 },
      chunks: [{ id: 'a#0', articleId: 'a', ordinal: 0, start: 0, end: 4, text: 'text', tokens: 1 }],
      vectors: new Float32Array([v, 0]),
    });
    const d = updateDigest([upsert(1)], ['x']);
    expect(updateDigest([upsert(1)], ['x'])).toBe(d);
    expect(updateDigest([upsert(0.5)], ['x'])).not.toBe(d);
    expect(updateDigest([upsert(1)], ['y'])).not.toBe(d);
    // A view into a larger buffer digests only its own bytes.
    const big = new Float32Array([9, 1, 0, 9]);
    expect(updateDigest([{ ...upsert(1), vectors: big.subarray(1, 3) }], ['x'])).toBe(d);
  });
});
