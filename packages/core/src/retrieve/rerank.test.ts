import { describe, expect, it } from 'vitest';
import { evidenceAnalyzer } from '../text/analyzers.js';
import { stemSet } from '../text/coverage.js';
import { type ArticleEvidence, RERANK_WEIGHTS, rerankByEvidence } from './rerank.js';

/** An IDF table over the given words, each weighing 1. */
const idfOf = (...words: string[]) => new Map(words.map((w) => [evidenceAnalyzer.stem(w.toLowerCase()), 1]));

const other = { articleId: 'other', text: 'The minister spoke about the budget on Tuesday.' };
const story = { articleId: 'story', text: 'The minister spoke about the budget on Monday.' };
const items = [other, story];

describe('rerankByEvidence with article-level and sentence-level evidence', () => {
  const idf = idfOf('minister', 'budget', 'Liverpool', 'Istanbul');
  const articles: Record<string, ArticleEvidence> = {
    other: { cosine: 0.2, stems: stemSet('minister budget') },
    story: { cosine: 0.6, stems: stemSet('minister budget Liverpool Istanbul') },
  };
  const articleOf = (id: string) => articles[id] as ArticleEvidence;

  it('keeps the fused order when the article features weigh nothing (the default)', () => {
    const out = rerankByEvidence(items, idf, 10, RERANK_WEIGHTS, undefined, articleOf);
    expect(out.map((i) => i.articleId)).toEqual(['other', 'story']);
  });

  it('lifts the passage whose whole article covers the question', () => {
    const out = rerankByEvidence(items, idf, 10, { ...RERANK_WEIGHTS, articleCoverage: 1 }, undefined, articleOf);
    expect(out.map((i) => i.articleId)).toEqual(['story', 'other']);
  });

  it("lifts the passage whose article has the closest passage (the article's best cosine)", () => {
    const out = rerankByEvidence(items, idf, 10, { ...RERANK_WEIGHTS, articleDense: 1 }, undefined, articleOf);
    expect(out.map((i) => i.articleId)).toEqual(['story', 'other']);
  });

  it('uses the best sentence cosines it is given, and only those', () => {
    const weights = { ...RERANK_WEIGHTS, sentenceDense: 1 };
    const lifted = rerankByEvidence(
      items,
      idf,
      10,
      weights,
      undefined,
      undefined,
      new Map([
        [story, 0.9],
        [other, 0.1],
      ]),
    );
    expect(lifted.map((i) => i.articleId)).toEqual(['story', 'other']);
    const none = rerankByEvidence(items, idf, 10, weights, undefined, undefined, new Map());
    expect(none.map((i) => i.articleId)).toEqual(['other', 'story']);
  });
});
