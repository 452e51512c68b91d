/**
 * Quality of retrieval and answers on the three seed articles, with the real stand-in
 * embedder (transformers.js on a local ONNX file) and a real folder index built by `runIndex`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../packages/core/src/answer/answer.js';
import { type EvalQuestion, readQuestions } from '../../packages/core/src/eval/questions.js';
import type { EvalReport } from '../../packages/core/src/eval/score.js';
import type { Answer, SearchMode } from '../../packages/core/src/types.js';
import { requireShared, SEED_DEV } from '../support/paths.js';
import { buildFixture, evaluateModes, type Fixture } from './harness.js';

let fx: Fixture;
let questions: EvalQuestion[];
let reports: Record<SearchMode, EvalReport>;

beforeAll(async () => {
  requireShared();
  fx = await buildFixture({ bbc: false });
  questions = await readQuestions(SEED_DEV);
  reports = await evaluateModes(fx, 'seed dev / seeds', questions);
});

afterAll(async () => {
  await fx?.close();
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

describe('seed dev set on the seed articles (standin)', () => {
  it('hybrid: hit@3 ≥ 0.95 and MRR@10 ≥ 0.85', () => {
    expect(reports.hybrid.n).toBe(20);
    expect(reports.hybrid.hitAt3).toBeGreaterThanOrEqual(0.95);
    expect(reports.hybrid.mrr10).toBeGreaterThanOrEqual(0.85);
  });

  it('hybrid: abstains on both unanswerable questions and answers ≥ 90% of the answerable ones', () => {
    const unanswerable = reports.hybrid.perQuestion.filter((q) => !q.answerable);
    expect(unanswerable.map((q) => q.id)).toEqual(['dev21', 'dev22']);
    for (const q of unanswerable) expect(q.abstained, q.id).toBe(true);
    expect(reports.hybrid.answeredRate).toBeGreaterThanOrEqual(0.9);
  });

  it('each retriever alone is worse than or equal to the hybrid on MRR@10', () => {
    expect(reports.dense.mrr10).toBeLessThanOrEqual(reports.hybrid.mrr10);
    expect(reports.bm25.mrr10).toBeLessThanOrEqual(reports.hybrid.mrr10);
  });
});

describe('answers on the seed articles (standin)', () => {
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

  it('answers "What gifts did Putin and Kim exchange?" from the gift passages of both articles', async () => {
    const a = await answer(fx.reader, fx.embedder, 'What gifts did Putin and Kim exchange?');
    expectWellFormed(a, fx.texts);
    expect(a.abstained).toBe(false);
    expect(a.citations.length).toBeGreaterThanOrEqual(1);
    for (const c of a.citations) {
      expect(['000_0b4336e44a9e5dd7', '001_f936b67f468a0892']).toContain(c.articleId);
      expect(c.quote).toMatch(/gift|gave|Pungsan|paintings/i);
    }
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
