import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderIndexStore } from '@newsrag/core';
import { randomUnitVectors } from '@newsrag/test-support';
import { syntheticFingerprint } from '@newsrag/test-support/synthetic-index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadParams, LoadResult } from '../workers/load.js';
import { runChild } from './child.js';
import {
  prng,
  type SyntheticSource,
  sampleText,
  splitSentences,
  syntheticArticles,
  syntheticSourceOf,
} from './synthetic.js';

const D = 16;
const source: SyntheticSource = {
  sentences: splitSentences(
    'The bank raised rates again on Thursday. Shares fell sharply in early trading. ' +
      'The minister said the plan would be announced next week! Was the match ever in doubt?',
  ),
  lengths: [60, 120, 300],
  vectors: randomUnitVectors(prng(1), 5, D),
  dimensions: D,
  tokensPerChar: 0.25,
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bench-synth-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('synthetic index content', () => {
  it('splits sentences and builds texts of at least the target length from them', () => {
    expect(source.sentences).toHaveLength(4);
    const text = sampleText(prng(2), source.sentences, 200);
    expect(text.length).toBeGreaterThanOrEqual(200);
    for (const part of text.split(/(?<=[.!?])\s/)) expect(source.sentences).toContain(part);
  });

  it('makes exactly the asked number of chunks, consistent offsets and unit vectors, deterministically', () => {
    const a = [...syntheticArticles(source, 21, 8, 7)];
    const b = [...syntheticArticles(source, 21, 8, 7)];
    expect(a).toEqual(b);
    expect(a.map((u) => u.chunks.length)).toEqual([8, 8, 5]);
    for (const u of a) {
      expect(u.record.chunkCount).toBe(u.chunks.length);
      for (const [i, c] of u.chunks.entries()) {
        expect(c.text.length).toBe(c.end - c.start);
        expect(c.end).toBeLessThanOrEqual(u.record.length);
        let norm = 0;
        for (let j = 0; j < D; j++) norm += (u.vectors[i * D + j] as number) ** 2;
        expect(norm).toBeCloseTo(1, 5);
      }
    }
  });

  it('is accepted by the real FolderIndexStore, and a worker process loads it back', async () => {
    const indexDir = path.join(dir, 'index');
    const store = new FolderIndexStore(indexDir);
    const fingerprint = syntheticFingerprint(D);
    await store.write({
      fingerprint,
      fingerprintId: 'bench-test',
      dimensions: D,
      upserts: [...syntheticArticles(source, 50, 8, 3)],
      removals: [],
    });
    expect((await store.check()).ok).toBe(true);
    const loaded = await runChild<LoadParams, LoadResult>('load', { indexDir });
    expect(loaded.result.chunks).toBe(50);
    expect(loaded.result.loadMs).toBeGreaterThan(0);
    expect(loaded.maxRssBytes).toBeGreaterThan(10 * 2 ** 20);
  });

  it('draws a new source from a stored index: its sentences, lengths, vectors and tokens per character', async () => {
    const upserts = [...syntheticArticles(source, 12, 8, 5)];
    const reader = await new FolderIndexStore(path.join(dir, 'source')).write({
      fingerprint: syntheticFingerprint(D),
      fingerprintId: 'bench-test',
      dimensions: D,
      upserts,
      removals: [],
    });
    const from = syntheticSourceOf(reader);
    const chunks = upserts.flatMap((u) => u.chunks);
    expect(from.dimensions).toBe(D);
    expect([...from.lengths].sort()).toEqual(chunks.map((c) => c.text.length).sort());
    expect(new Set(from.sentences)).toEqual(new Set(source.sentences));
    const tokens = chunks.reduce((n, c) => n + c.tokens, 0);
    const chars = chunks.reduce((n, c) => n + c.text.length, 0);
    expect(from.tokensPerChar).toBeCloseTo(tokens / chars, 10);
    for (let row = 0; row < reader.chunkCount; row++) {
      expect(from.vectors.subarray(row * D, (row + 1) * D)).toEqual(reader.vector(row));
    }
  });

  it('reports a worker failure with its message', async () => {
    await expect(
      runChild<LoadParams, LoadResult>('load', { indexDir: path.join(dir, 'nothing-here') }),
    ).rejects.toThrow(/bench worker load failed: .*no index in/);
  });
});
