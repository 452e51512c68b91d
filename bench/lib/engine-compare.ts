/**
 * Two engines' figures side by side, for the Postgres section: score rows paired with their
 * differences, the MRR@10 floors, the questions whose first hit moved, and the choices both
 * engines' processes must make identically (which articles to remove, a digest of the update
 * they wrote). Pure.
 */
import { createHash } from 'node:crypto';
import type { ArticleUpsert, SearchMode } from '@newsrag/core';
import { atMost, type FloorCheck } from './floors.js';

/** One question set in one mode on one engine, scored by core's `scoreQuestions`. */
export interface EngineScore {
  set: string;
  mode: SearchMode;
  /** Answerable questions (hit@k and MRR@10 are over these). */
  n: number;
  hitAt5: number;
  mrr10: number;
  /** All questions of the set. */
  questions: number;
  /** Unanswerable questions that abstained plus answerable ones that answered. */
  abstentionCorrect: number;
}

/** Where one question's first hit landed (1-based, null: none in the top 10). */
export interface QuestionRank {
  set: string;
  mode: SearchMode;
  id: string;
  rank: number | null;
  abstained: boolean;
}

/** One set and mode on both engines. */
export interface ScorePair {
  set: string;
  mode: SearchMode;
  embedded: EngineScore;
  postgres: EngineScore;
  /** Postgres minus embedded. */
  deltaMrr10: number;
  deltaHitAt5: number;
}

const keyOf = (r: { set: string; mode: SearchMode }) => `${r.set}\u0000${r.mode}`;

/**
 * The rows of both engines paired by set and mode, in the embedded engine's order.
 * @throws Error naming a set and mode that only one engine measured (the runs differ).
 */
export function pairScores(embedded: readonly EngineScore[], postgres: readonly EngineScore[]): ScorePair[] {
  const other = new Map(postgres.map((r) => [keyOf(r), r]));
  if (other.size !== embedded.length) {
    throw new Error(`the engines scored different sets: ${embedded.length} rows against ${postgres.length}`);
  }
  return embedded.map((e) => {
    const p = other.get(keyOf(e));
    if (!p) throw new Error(`Postgres has no score for "${e.set}" in ${e.mode} mode`);
    if (p.n !== e.n || p.questions !== e.questions) {
      throw new Error(`"${e.set}" has ${e.questions} questions on one engine and ${p.questions} on the other`);
    }
    return {
      set: e.set,
      mode: e.mode,
      embedded: e,
      postgres: p,
      deltaMrr10: p.mrr10 - e.mrr10,
      deltaHitAt5: p.hitAt5 - e.hitAt5,
    };
  });
}

/** Drops float noise (0.52 − 0.5 = 0.020000000000000018), so a difference of exactly the limit passes. */
const roundOff = (x: number) => Math.round(x * 1e9) / 1e9;

/** The floor: |Δ MRR@10| ≤ `limit` on every set, in `mode` (the default answer mode). */
export function mrrFloors(pairs: readonly ScorePair[], limit = 0.02, mode: SearchMode = 'hybrid'): FloorCheck[] {
  return pairs
    .filter((p) => p.mode === mode)
    .map((p) =>
      atMost(`Postgres vs embedded |Δ MRR@10| (${mode}), ${p.set}`, roundOff(Math.abs(p.deltaMrr10)), limit, 'MRR@10', {
        decimals: 3,
        note: `embedded ${p.embedded.mrr10.toFixed(3)}, Postgres ${p.postgres.mrr10.toFixed(3)}`,
      }),
    );
}

/** A question whose first-hit rank differs between the engines. */
export interface MovedQuestion {
  set: string;
  mode: SearchMode;
  id: string;
  embedded: number | null;
  postgres: number | null;
}

/** The questions whose first hit moved, in the embedded engine's order. */
export function movedQuestions(embedded: readonly QuestionRank[], postgres: readonly QuestionRank[]): MovedQuestion[] {
  const other = new Map(postgres.map((r) => [`${keyOf(r)}\u0000${r.id}`, r]));
  return embedded.flatMap((e) => {
    const p = other.get(`${keyOf(e)}\u0000${e.id}`);
    const rank = p ? p.rank : null;
    return rank === e.rank ? [] : [{ set: e.set, mode: e.mode, id: e.id, embedded: e.rank, postgres: rank }];
  });
}

/** `n` items spread evenly over `items` (the first, then every `length / n`-th), all of them when fewer. */
export function evenlySpaced<T>(items: readonly T[], n: number): T[] {
  if (!(n >= 0) || !Number.isInteger(n)) throw new RangeError(`evenlySpaced: n must be a whole number ≥ 0, got ${n}`);
  if (n >= items.length) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
}

/**
 * A digest of an update (ids, records, chunk texts and offsets, vector bytes, removals), so two
 * processes can show they wrote the very same change.
 */
export function updateDigest(upserts: readonly ArticleUpsert[], removals: readonly string[]): string {
  const h = createHash('sha256');
  for (const u of upserts) {
    h.update(JSON.stringify(u.record));
    h.update(JSON.stringify(u.chunks));
    h.update(new Uint8Array(u.vectors.buffer, u.vectors.byteOffset, u.vectors.byteLength));
  }
  h.update(JSON.stringify(removals));
  return h.digest('hex');
}
