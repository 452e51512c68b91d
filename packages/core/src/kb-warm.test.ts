/**
 * kb.warm(): the sentences answers quote are embedded ahead of questions, so a warmed
 * knowledge base answers without embedding any sentence, and answers exactly as a cold one
 * (real stand-in embedder, seed articles).
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { SEED_ARTICLES } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentencesToWarm } from './answer/sentence-vectors.js';
import { openKnowledgeBase } from './kb.js';
import type { IndexReader } from './store/contract.js';
import type { KnowledgeBase } from './types.js';

const QUESTIONS = [
  'What dog breed did Kim give Putin?',
  'How many hours did Putin and Kim spend together during the visit?',
  'Who won the football match between Brazil and Argentina?',
];

let root: string;
let indexDir: string;
let embedder: Embedder;
/** Texts the real embedder was asked to embed as documents, call by call. */
const documentCalls: string[][] = [];
let counting: Embedder;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'newsrag-kb-warm-'));
  indexDir = path.join(root, 'index');
  const builder = await openKnowledgeBase({ indexDir, model: 'standin' });
  await builder.index([SEED_ARTICLES]);
  await builder.close();
  embedder = await createEmbedder({ model: 'standin' });
  // Delegates to the real embedder; only records what it is asked to embed.
  counting = Object.create(embedder, {
    embedDocuments: {
      value: (texts: readonly string[], options?: Parameters<Embedder['embedDocuments']>[1]) => {
        documentCalls.push([...texts]);
        return embedder.embedDocuments(texts, options);
      },
    },
  }) as Embedder;
});
afterAll(async () => {
  await embedder?.dispose();
  await rm(root, { recursive: true, force: true });
});

const open = (e: Embedder): Promise<KnowledgeBase> => openKnowledgeBase({ indexDir, embedder: e });

describe('kb.warm', () => {
  it('embeds the sentences answers need, so answers then embed none, and answer as a cold one does', async () => {
    const cold = await open(embedder);
    const warm = await open(counting);
    try {
      const summary = await warm.warm();
      expect(summary.stopped).toBe(false);
      expect(summary.embedded).toBeGreaterThan(20);
      expect(summary.cached).toBe(summary.embedded);
      // In batches of their own (never joining the coalesced passes of live questions).
      expect(documentCalls.every((c) => c.length <= 16)).toBe(true);
      const callsAfterWarm = documentCalls.length;
      for (const q of QUESTIONS) {
        const a = await warm.answer(q);
        const b = await cold.answer(q);
        expect(a.answer).toBe(b.answer);
        expect(a.citations.map((c) => [c.articleId, c.start, c.dates])).toEqual(
          b.citations.map((c) => [c.articleId, c.start, c.dates]),
        );
        expect(a.confidence).toBeCloseTo(b.confidence, 6);
      }
      expect(documentCalls.length).toBe(callsAfterWarm);
      // A second warm-up finds everything cached.
      expect((await warm.warm()).embedded).toBe(0);
    } finally {
      await cold.close();
      await warm.close();
    }
  });

  it('honours its limit, and ends without an error when the knowledge base closes under it', async () => {
    // A wrapper of its own is another embedder, so it starts with an empty sentence cache.
    const kb = await open(Object.create(embedder) as Embedder);
    expect((await kb.warm({ maxSentences: 5 })).cached).toBe(5);
    const running = kb.warm();
    await kb.close();
    const summary = await running;
    expect(summary.embedded).toBe(0);
    expect(summary.stopped).toBe(true);
  });
});

describe('the sentence cache across index generations', () => {
  it('keeps what was embedded for one generation for the next: a warm-up after a write embeds only the new article', async () => {
    const articles = path.join(root, 'articles-growing');
    await cp(SEED_ARTICLES, articles, { recursive: true });
    const dir = path.join(root, 'index-growing');
    const calls: string[][] = [];
    const own = Object.create(embedder, {
      embedDocuments: {
        value: (texts: readonly string[], options?: Parameters<Embedder['embedDocuments']>[1]) => {
          calls.push([...texts]);
          return embedder.embedDocuments(texts, options);
        },
      },
    }) as Embedder;
    const kb = await openKnowledgeBase({ indexDir: dir, embedder: own });
    try {
      await kb.index([articles]);
      const first = await kb.warm();
      expect(first.embedded).toBeGreaterThan(20);
      const warmed = new Set(calls.flat());
      await writeFile(
        path.join(articles, 'zz-new.txt'),
        'Harbour reopens after storm\n\nThe harbour of the town reopened on Tuesday after the storm. Fishing boats returned to their moorings by the evening.\n',
      );
      await kb.index([articles]);
      calls.length = 0;
      const second = await kb.warm();
      // The new generation's warm-up found the old articles' sentences cached.
      expect(second.embedded).toBeGreaterThan(0);
      expect(second.embedded).toBeLessThanOrEqual(2);
      expect(calls.flat().some((t) => warmed.has(t))).toBe(false);
      expect(calls.flat().every((t) => /harbour|boats/i.test(t))).toBe(true);
      expect(second.cached).toBe(first.cached + second.embedded);
    } finally {
      await kb.close();
    }
  });
});

describe('sentencesToWarm', () => {
  it('lists each candidate sentence once, newest articles first, at most the limit', async () => {
    const { openIndexStore } = await import('./store/select.js');
    const store = await openIndexStore(indexDir);
    const reader = (await store.open()) as IndexReader;
    try {
      const all = sentencesToWarm(reader, 100_000);
      expect(new Set(all.map((s) => s.text)).size).toBe(all.length);
      expect(all.every((s) => s.text.replace(/[^\p{L}\p{N}]/gu, '').length >= 12)).toBe(true);
      const dateOf = new Map(reader.articles().map((a) => [a.id, a.meta.date ?? '']));
      const dates = all.map((s) => dateOf.get(s.articleId) ?? '');
      const firstDated = dates.filter((d) => d !== '');
      expect(firstDated).toEqual([...firstDated].sort().reverse());
      expect(sentencesToWarm(reader, 7)).toEqual(all.slice(0, 7));
    } finally {
      reader.close?.();
    }
  });
});
