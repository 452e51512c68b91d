/**
 * Time-aware answers on the three seed articles with the real all-MiniLM-L6-v2: the dev time
 * questions' dates (floor: 6 of 7 right, no date invented for undated evidence), and citation
 * dates that point at their own words in the article.
 */

import { type EvalQuestion, type EvalReport, evaluate, readQuestions, timeline } from '@newsrag/core';
import { answer, formatReport } from '@newsrag/core/internals';
import { TIME_DEV } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture } from './harness.js';

let fx: Fixture;
let questions: EvalQuestion[];
let report: EvalReport;

beforeAll(async () => {
  questions = await readQuestions(TIME_DEV);
  fx = await buildFixture({ bbc: false });
  report = await evaluate({ reader: fx.reader, embedder: fx.embedder, questions, mode: 'hybrid' });
  console.log(formatReport('time dev / seeds', report));
  console.log(JSON.stringify(report.dates?.perQuestion));
});

afterAll(async () => {
  await fx?.close();
});

describe('time questions on the seeds (real model)', () => {
  it('resolves at least 6 of the 7 dev dates and invents none for the undated article', () => {
    expect(report.dates?.n).toBe(7);
    expect(report.dates?.correct).toBeGreaterThanOrEqual(6);
    expect(report.dates?.invented).toBe(0);
    const undated = report.dates?.perQuestion.find((p) => p.expected === null);
    expect(undated?.got).toBeNull();
  });

  it('gives each citation the dates inside its quote, with offsets into the article', async () => {
    const a = await answer(fx.reader, fx.embedder, 'When did Putin first give Kim an Aurus limousine?');
    expect(a.when).toBe('2024-02');
    const dated = a.citations.flatMap((c) => (c.dates ?? []).map((d) => ({ c, d })));
    expect(dated.map(({ d }) => d.value)).toContain('2024-02');
    for (const { c, d } of dated) {
      expect(fx.texts.get(c.articleId)?.slice(d.start, d.end)).toBe(d.expression);
      expect(d.start).toBeGreaterThanOrEqual(c.start);
      expect(d.end).toBeLessThanOrEqual(c.end);
    }
  });
});

describe('timeline on the seeds (real model)', () => {
  it('shows 2000, 2023, February 2024, 19 and 20 June 2024 in order, each quote cited verbatim', async () => {
    const t = await timeline(fx.reader, fx.embedder, 'Putin and Kim');
    const dates = t.events.map((e) => e.date);
    const at = ['2000', '2023', '2024-02', '2024-06-19', '2024-06-20'].map((d) => dates.indexOf(d));
    expect(
      at.every((i) => i >= 0),
      dates.join(' '),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const e of t.events) {
      const [first] = e.citations;
      expect(fx.texts.get(first?.articleId ?? '')?.slice(first?.start, first?.end)).toBe(e.text);
      expect(new Set(e.citations.map((c) => c.articleId)).size).toBe(e.citations.length);
    }
  });
});
