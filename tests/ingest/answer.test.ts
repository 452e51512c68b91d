/**
 * End to end with the real all-MiniLM-L6-v2 (q8): a feed on a local server is ingested and
 * indexed, and kb.answer() quotes the new article.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingest, type KnowledgeBase, openKnowledgeBase } from '@newsrag/core';
import { REAL_MODEL } from '@newsrag/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../support/feed-server.js';

let server: FeedServer;
let kb: KnowledgeBase;
let dir: string;

beforeAll(async () => {
  server = await startFeedServer();
  server.fixture('/rss.xml', 'rss2.xml', 'application/rss+xml');
  server.fixture('/atom.xml', 'atom.xml', 'application/atom+xml');
  server.fixture('/news/library.html', 'library.html', 'text/html; charset=utf-8');
  dir = await mkdtemp(path.join(tmpdir(), 'newsrag-ingest-answer-'));
  kb = await openKnowledgeBase({ indexDir: path.join(dir, 'index'), model: REAL_MODEL, dtype: 'q8' });
});

afterAll(async () => {
  await kb?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('answers from an article that arrived through a feed minutes ago', async () => {
  const summary = await ingest({
    feeds: [`${server.base}/rss.xml`, `${server.base}/atom.xml`],
    articlesDir: path.join(dir, 'articles'),
    allowHosts: ['127.0.0.1'],
    perHostDelayMs: 0,
    kb,
  });
  expect(summary.new).toBe(3);
  expect(summary.index?.added).toBe(3);

  const a = await kb.answer('How much is the Harbour tram line expected to cost?');
  expect(a.abstained).toBe(false);
  expect(a.answer).toContain('240 million euros');
  const cited = a.citations.find((c) => c.quote.includes('240 million euros'));
  expect(cited?.title).toBe('Lakeside council approves the Harbour tram line');
  expect(cited?.date).toBe('2026-12-01');

  // The page fetched for a summary-only item answers too.
  const b = await kb.answer('How many books were freeze-dried after the Lakeside library flood?');
  expect(b.abstained).toBe(false);
  expect(b.citations[0]?.quote).toContain('41,000 books');
});
