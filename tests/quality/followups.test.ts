/**
 * Follow-up retrieval on the seed articles with the real all-MiniLM-L6-v2 (q8): the scripted
 * conversations of `data/eval/followups.dev.jsonl`, answered turn by turn with the earlier turns
 * as context, against a control run that asks each follow-up alone.
 */

import { evaluateFollowUps, type FollowUpConversation, type FollowUpReport, readConversations } from '@newsrag/core';
import { formatFollowUpReport } from '@newsrag/core/internals';
import { FOLLOWUPS_DEV, REAL_MODEL } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture } from './harness.js';

let fx: Fixture;
let conversations: FollowUpConversation[];
let withContext: FollowUpReport;
let control: FollowUpReport;

beforeAll(async () => {
  conversations = await readConversations(FOLLOWUPS_DEV);
  fx = await buildFixture({ bbc: false, dtype: 'q8' });
  withContext = await evaluateFollowUps({ reader: fx.reader, embedder: fx.embedder, conversations, context: true });
  control = await evaluateFollowUps({ reader: fx.reader, embedder: fx.embedder, conversations, context: false });
  console.log(formatFollowUpReport(`follow-ups / seeds (${REAL_MODEL} q8)`, withContext));
  console.log(formatFollowUpReport(`follow-ups / seeds (${REAL_MODEL} q8)`, control));
  for (const t of withContext.turns) {
    const c = control.turns.find((x) => x.conversation === t.conversation && x.turn === t.turn);
    console.log(`  ${t.conversation}.${t.turn} ${t.firstHitRank ?? '-'} vs ${c?.firstHitRank ?? '-'}  ${t.query}`);
  }
});

afterAll(async () => {
  await fx?.close();
});

describe(`follow-up conversations on the seeds (${REAL_MODEL} q8)`, () => {
  it('the set holds conversations of at least five turns', () => {
    expect(conversations.length).toBeGreaterThanOrEqual(5);
    for (const c of conversations) expect(c.turns.length, c.id).toBeGreaterThanOrEqual(5);
  });

  it('with context, follow-ups retrieve the right passage: hit@3 ≥ 0.9', () => {
    expect(withContext.n).toBe(conversations.reduce((n, c) => n + c.turns.length - 1, 0));
    expect(withContext.hitAt3).toBeGreaterThanOrEqual(0.9);
  });

  it('the control run without context misses clearly more of them, and context finds what it misses', () => {
    expect(control.withContextFrom).toBe(0);
    expect(control.hitAt3).toBeLessThanOrEqual(withContext.hitAt3 - 0.1);
    const missed = control.turns.filter((t) => t.firstHitRank === null || t.firstHitRank > 3);
    expect(missed.length).toBeGreaterThanOrEqual(4);
    const found = missed.filter((m) => {
      const t = withContext.turns.find((x) => x.conversation === m.conversation && x.turn === m.turn);
      return t?.firstHitRank !== null && (t?.firstHitRank ?? 99) <= 3;
    });
    expect(found.length).toBeGreaterThanOrEqual(missed.length - 1);
  });

  it('every follow-up says which earlier question it took context from', () => {
    for (const t of withContext.turns) {
      expect(t.contextFrom, `${t.conversation}.${t.turn}`).not.toBeNull();
      expect(t.contextFrom?.turn).toBeLessThan(t.turn);
    }
  });
});
