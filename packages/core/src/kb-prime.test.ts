/**
 * kb.primeQuery(): the query an answer will embed is embedded ahead of it, in one batch for a
 * burst, and the answers are exactly those of a knowledge base that was never primed
 * (real stand-in embedder, seed articles).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TransformersEmbedder } from '@newsrag/embed/internals';
import { SEED_ARTICLES } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKnowledgeBase } from './kb.js';
import type { Answer, KnowledgeBase } from './types.js';

const QUESTIONS = [
  'What dog breed did Kim give Putin?',
  'How many hours did Putin and Kim spend together during the visit?',
  'Who won the football match between Brazil and Argentina?',
  'What did Putin and Kim sign?',
  'Where did Kim and Putin meet in Russia?',
  'Which social network was the goodbye video shared on?',
];

let root: string;
let primed: KnowledgeBase;
let plain: KnowledgeBase;

const embedderOf = (kb: KnowledgeBase): TransformersEmbedder => {
  if (!(kb.embedder instanceof TransformersEmbedder)) throw new Error('expected the transformers.js embedder');
  return kb.embedder;
};
/** What an asker sees of an answer: its text, passages, citations and confidence. */
const shown = (a: Answer) => ({
  answer: a.answer,
  abstained: a.abstained,
  confidence: a.confidence,
  passages: a.passages.map((p) => [p.chunkId, p.score]),
  citations: a.citations,
  query: a.query,
});

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'newsrag-kb-prime-'));
  const indexDir = path.join(root, 'index');
  const builder = await openKnowledgeBase({ indexDir, model: 'standin' });
  await builder.index([SEED_ARTICLES]);
  await builder.close();
  [primed, plain] = await Promise.all([
    openKnowledgeBase({ indexDir, model: 'standin' }),
    openKnowledgeBase({ indexDir, model: 'standin' }),
  ]);
});
afterAll(async () => {
  await Promise.all([primed?.close(), plain?.close()]);
  await rm(root, { recursive: true, force: true });
});

describe('kb.primeQuery', () => {
  it('embeds a burst of questions ahead of their answers, which then embed no query and answer as unprimed', async () => {
    const e = embedderOf(primed);
    const hits = e.queryCache.hits;
    for (const q of QUESTIONS) primed.primeQuery(q);
    expect(e.primedQueries).toBe(QUESTIONS.length);
    for (const q of QUESTIONS) {
      const a = await primed.answer(q);
      expect(shown(a)).toEqual(shown(await plain.answer(q)));
    }
    // Every answer took its query from the cache (its search and its sentence scoring alike).
    expect(e.queryCache.hits - hits).toBeGreaterThanOrEqual(QUESTIONS.length);
    expect(e.primedQueries).toBe(QUESTIONS.length);
  });

  it("primes a follow-up's rewrite, the query its answer embeds", async () => {
    const first = await plain.answer('What dog breed did Kim give Putin?');
    const conversation = [
      {
        question: first.question,
        query: first.query ?? first.question,
        citedArticleIds: first.citations.map((c) => c.articleId),
      },
    ];
    const e = embedderOf(primed);
    const hits = e.queryCache.hits;
    primed.primeQuery('And what did they sign?', { conversation });
    const a = await primed.answer('And what did they sign?', { conversation });
    expect(a.query).not.toBe('And what did they sign?');
    expect(e.queryCache.hits).toBeGreaterThan(hits);
    expect(shown(a)).toEqual(shown(await plain.answer('And what did they sign?', { conversation })));
  });

  it('ignores an empty question (the answer reports it) and a closed knowledge base', async () => {
    expect(() => primed.primeQuery('   ')).not.toThrow();
    await expect(primed.answer('   ')).rejects.toMatchObject({ code: 'BAD_QUESTION' });
    const closing = await openKnowledgeBase({ indexDir: path.join(root, 'index'), model: 'standin' });
    await closing.close();
    expect(() => closing.primeQuery(QUESTIONS[0] as string)).not.toThrow();
  });
});
