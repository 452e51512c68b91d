/**
 * Quality of retrieval and answers on the three seed articles, with a real folder index built
 * by `runIndex`: retrieval floors for the real all-MiniLM-L6-v2 and for the stand-in (which
 * keeps its own), answers with the real model.
 */

import { type Answer, type EvalQuestion, type EvalReport, readQuestions, type SearchMode } from '@newsrag/core';
import { answer } from '@newsrag/core/internals';
import { REAL_MODEL, SEED_DEV } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, evaluateModes, type Fixture } from './harness.js';

let fx: Fixture;
let standin: Fixture;
let questions: EvalQuestion[];
const reports: Record<string, Record<SearchMode, EvalReport>> = {};

beforeAll(async () => {
  questions = await readQuestions(SEED_DEV);
  fx = await buildFixture({ bbc: false });
  reports[REAL_MODEL] = await evaluateModes(fx, `seed dev / seeds (${REAL_MODEL})`, questions);
  standin = await buildFixture({ bbc: false, model: 'standin' });
  reports.standin = await evaluateModes(standin, 'seed dev / seeds (standin)', questions);
});

afterAll(async () => {
  await fx?.close();
  await standin?.close();
});

/** Checks the invariants every answer must keep, whatever its content. */
function expectWellFormed(a: Answer, texts: Map<string, string>): void {
  for (const c of a.citations) {
    const text = texts.get(c.articleId);
    expect(text, `article ${c.articleId}`).toBeDefined();
    expect(text?.slice(c.start, c.end)).toBe(c.quote);
    expect(text?.slice(c.passageStart, c.passageEnd)).toBe(c.passage);
    expect(c.start).toBeGreaterThanOrEqual(c.passageStart);
    expect(c.end).toBeLessThanOrEqual(c.passageEnd);
  }
  if (a.abstained) {
    expect(a.answer).toBeNull();
    expect(a.citations).toEqual([]);
    return;
  }
  const markers = [...(a.answer ?? '').matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  expect(markers).toEqual(a.citations.map((_, i) => i + 1));
  expect(a.citations.map((c) => c.marker)).toEqual(markers);
  for (const c of a.citations) expect(a.answer).toContain(`${c.quote} [${c.marker}]`);
  for (const g of a.corroborations) {
    expect(g.count).toBe(g.articleIds.length);
    expect(g.count).toBeGreaterThanOrEqual(2);
    for (const m of g.markers) expect(a.citations.some((c) => c.marker === m)).toBe(true);
  }
  expect(a.confidence).toBeGreaterThanOrEqual(0);
  expect(a.confidence).toBeLessThanOrEqual(1);
}

describe.each([
  { model: REAL_MODEL, hitAt3: 0.95, mrr10: 0.95 }, // 0.967 measured (fp32), issue floor 0.92
  { model: 'standin', hitAt3: 0.95, mrr10: 0.85 },
])('seed dev set on the seed articles ($model)', ({ model, hitAt3, mrr10 }) => {
  it(`hybrid: hit@3 ≥ ${hitAt3} and MRR@10 ≥ ${mrr10}`, () => {
    const r = reports[model] as Record<SearchMode, EvalReport>;
    expect(r.hybrid.n).toBe(20);
    expect(r.hybrid.hitAt3).toBeGreaterThanOrEqual(hitAt3);
    expect(r.hybrid.mrr10).toBeGreaterThanOrEqual(mrr10);
  });

  it('hybrid: abstains on both unanswerable questions and answers ≥ 90% of the answerable ones', () => {
    const r = reports[model] as Record<SearchMode, EvalReport>;
    const unanswerable = r.hybrid.perQuestion.filter((q) => !q.answerable);
    expect(unanswerable.map((q) => q.id)).toEqual(['dev21', 'dev22']);
    for (const q of unanswerable) expect(q.abstained, q.id).toBe(true);
    expect(r.hybrid.answeredRate).toBeGreaterThanOrEqual(0.9);
  });

  it('each retriever alone is worse than or equal to the hybrid on MRR@10', () => {
    const r = reports[model] as Record<SearchMode, EvalReport>;
    expect(r.dense.mrr10).toBeLessThanOrEqual(r.hybrid.mrr10);
    expect(r.bm25.mrr10).toBeLessThanOrEqual(r.hybrid.mrr10);
  });
});

describe(`answers on the seed articles (${REAL_MODEL})`, () => {
  it('answers every answerable dev question (no abstention) with verbatim quotes and matching [n] markers', async () => {
    for (const q of questions) {
      const a = await answer(fx.reader, fx.embedder, q.question);
      // expectWellFormed accepts any abstention: whether this one should abstain is checked here.
      expect(a.abstained, `${q.id} "${q.question}" abstained: ${a.abstained}`).toBe(!q.answerable);
      if (q.answerable) expect(a.citations.length, q.id).toBeGreaterThan(0);
      expectWellFormed(a, fx.texts);
      expect(a.passages.length).toBeGreaterThan(0);
      expect(a.timings.totalMs).toBeGreaterThanOrEqual(a.timings.embedMs);
    }
  });

  it('answers "What gifts did Putin and Kim exchange?" with both sides: the car one way, the dogs and paintings the other', async () => {
    const a = await answer(fx.reader, fx.embedder, 'What gifts did Putin and Kim exchange?');
    expectWellFormed(a, fx.texts);
    expect(a.abstained).toBe(false);
    for (const c of a.citations) {
      expect(['000_0b4336e44a9e5dd7', '001_f936b67f468a0892']).toContain(c.articleId);
      expect(c.quote).toMatch(/gift|gave|Pungsan|paintings/i);
    }
    const quoted = a.citations.map((c) => c.quote).join(' ');
    expect(quoted).toMatch(/limousine|luxury car/);
    expect(quoted).toMatch(/Pungsan dogs/);
    expect(quoted).toMatch(/paintings/);
  });

  it('a one-sided gift question is not padded with the other side', async () => {
    const a = await answer(fx.reader, fx.embedder, 'What car did Putin give Kim?');
    expectWellFormed(a, fx.texts);
    expect(a.abstained).toBe(false);
    expect(a.citations.map((c) => c.quote).join(' ')).not.toMatch(/^In return/m);
    expect(a.citations.some((c) => /^In return/.test(c.quote))).toBe(false);
  });

  it('"When was Putin\'s previous visit to North Korea?" is answered with the year and corroborated across the two articles', async () => {
    const a = await answer(fx.reader, fx.embedder, "When was Putin's previous visit to North Korea?");
    expectWellFormed(a, fx.texts);
    expect(a.abstained).toBe(false);
    expect(a.answer).toMatch(/since 2000|24 years/);
    expect(a.corroborations).toHaveLength(1);
    expect(new Set(a.corroborations[0]?.articleIds)).toEqual(new Set(['000_0b4336e44a9e5dd7', '001_f936b67f468a0892']));
    const quoted = a.citations.map((c) => c.quote).join(' ');
    expect(quoted).toMatch(/since 2000/);
    expect(quoted).toMatch(/24 years/);
  });

  it('abstains on "What is the population of Vietnam?" but still returns the closest passages', async () => {
    const a = await answer(fx.reader, fx.embedder, 'What is the population of Vietnam?');
    expect(a.abstained).toBe(true);
    expect(a.answer).toBeNull();
    expect(a.passages.length).toBeGreaterThan(0);
    expect(a.passages.some((p) => p.text.includes('Vietnam'))).toBe(true);
  });

  it('rejects an empty question, abstains on emoji-only, and truncates a very long one', async () => {
    await expect(answer(fx.reader, fx.embedder, '   ')).rejects.toMatchObject({ code: 'BAD_QUESTION' });
    const emoji = await answer(fx.reader, fx.embedder, '🤔🤔 ?!');
    expect(emoji.abstained).toBe(true);
    expect(emoji.confidence).toBe(0);
    const long = await answer(fx.reader, fx.embedder, `What dog breed did Kim give Putin? ${'filler '.repeat(600)}`);
    expect(long.question.length).toBeLessThanOrEqual(2000);
    expectWellFormed(long, fx.texts);
  });

  it('a minConfidence of 1 forces an abstention; 0 forces an answer', async () => {
    const q = 'What dog breed did Kim give Putin?';
    const strict = await answer(fx.reader, fx.embedder, q, { minConfidence: 1 });
    expect(strict.abstained).toBe(true);
    const lax = await answer(fx.reader, fx.embedder, 'What is the population of Vietnam?', { minConfidence: 0 });
    expect(lax.abstained).toBe(false);
    expectWellFormed(lax, fx.texts);
    const dog = await answer(fx.reader, fx.embedder, q);
    expect(dog.answer).toContain('Pungsan');
  });
});
