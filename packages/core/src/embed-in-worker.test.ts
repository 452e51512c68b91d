/**
 * `embedInWorker`: the knowledge base's forward passes run in a worker thread and its
 * answers are the ones it gives with them on the caller's thread (real index, stand-in
 * model, real worker thread).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEED_ARTICLES } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKnowledgeBase } from './kb.js';
import type { KnowledgeBase } from './types.js';

let root: string;
let onMain: KnowledgeBase;
let inWorker: KnowledgeBase;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'newsrag-embed-worker-'));
  const indexDir = path.join(root, 'index');
  onMain = await openKnowledgeBase({ indexDir, model: 'standin' });
  await onMain.index([SEED_ARTICLES]);
  inWorker = await openKnowledgeBase({ indexDir, model: 'standin', embedInWorker: true });
});
afterAll(async () => {
  await onMain?.close();
  await inWorker?.close();
  await rm(root, { recursive: true, force: true });
});

describe('a knowledge base with embedInWorker', () => {
  it('uses the same model and answers exactly as on the caller thread', async () => {
    expect(inWorker.embedder.fingerprintId).toBe(onMain.embedder.fingerprintId);
    for (const q of [
      'What did Kim give Putin?',
      'When did Putin last visit North Korea?',
      'Who won the 1950 World Cup?',
    ]) {
      const [a, b] = await Promise.all([onMain.answer(q), inWorker.answer(q)]);
      expect(b.abstained).toBe(a.abstained);
      expect(b.answer).toBe(a.answer);
      expect(b.citations.map((c) => [c.articleId, c.quote])).toEqual(a.citations.map((c) => [c.articleId, c.quote]));
      expect(b.confidence).toBeCloseTo(a.confidence, 6);
    }
  });
});
