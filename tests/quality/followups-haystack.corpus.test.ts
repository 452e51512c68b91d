/**
 * Follow-up retrieval in the haystack: the seed conversations of `data/eval/followups.dev.jsonl`
 * asked over the seeds mixed into the 2,225-article BBC corpus (real all-MiniLM-L6-v2 q8, one
 * index built here), with the earlier turns as context against a control run without.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateFollowUps,
  type FollowUpReport,
  formatFollowUpReport,
  readConversations,
} from '../../packages/core/src/eval/followups.js';
import { FOLLOWUPS_DEV, REAL_MODEL, requireShared } from '../support/paths.js';
import { buildFixture, type Fixture } from './harness.js';

let fx: Fixture;
let withContext: FollowUpReport;
let control: FollowUpReport;

beforeAll(async () => {
  requireShared();
  const conversations = await readConversations(FOLLOWUPS_DEV);
  fx = await buildFixture({ bbc: true, dtype: 'q8' });
  withContext = await evaluateFollowUps({ reader: fx.reader, embedder: fx.embedder, conversations, context: true });
  control = await evaluateFollowUps({ reader: fx.reader, embedder: fx.embedder, conversations, context: false });
  console.log(formatFollowUpReport(`follow-ups / haystack (${REAL_MODEL} q8)`, withContext));
  console.log(formatFollowUpReport(`follow-ups / haystack (${REAL_MODEL} q8)`, control));
  for (const t of withContext.turns) {
    const c = control.turns.find((x) => x.conversation === t.conversation && x.turn === t.turn);
    console.log(`  ${t.conversation}.${t.turn} ${t.firstHitRank ?? '-'} vs ${c?.firstHitRank ?? '-'}  ${t.query}`);
  }
  // Indexing BBC + seeds with the real model takes ~150 s alone, up to ~15 min on a loaded shared machine.
}, 1_800_000);

afterAll(async () => {
  await fx?.close();
});

describe(`follow-ups in the haystack: seeds + BBC (${REAL_MODEL} q8)`, () => {
  it('with context, hit@3 ≥ 0.8', () => {
    expect(withContext.n).toBe(30);
    expect(withContext.hitAt3).toBeGreaterThanOrEqual(0.8);
  });

  it('without context clearly fewer are found, and context finds most of those the control misses', () => {
    expect(control.hitAt3).toBeLessThanOrEqual(withContext.hitAt3 - 0.1);
    const missed = control.turns.filter((t) => t.firstHitRank === null || t.firstHitRank > 3);
    const found = missed.filter((m) => {
      const t = withContext.turns.find((x) => x.conversation === m.conversation && x.turn === m.turn);
      return t?.firstHitRank != null && t.firstHitRank <= 3;
    });
    expect(missed.length).toBeGreaterThan(0);
    expect(found.length).toBeGreaterThanOrEqual(Math.ceil(missed.length / 2));
  });
});
