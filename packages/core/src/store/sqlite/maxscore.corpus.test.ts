/**
 * MaxScore against the exhaustive scorer on real text (`npm run test:corpus`): BBC articles
 * and the seed articles indexed by the SQLite engine in two writes (the second replacing and
 * removing some), every dev question (BBC, seed, time) ranked alike.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BBC_CORPUS,
  BBC_DEV,
  prng,
  randomUnitVectors,
  SEED_ARTICLES,
  SEED_DEV,
  SHARED_DIR,
} from '@newsrag/test-support';
import { syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexAnalyzer } from '../../text/analyzers.js';
import type { Chunk } from '../../types.js';
import type { ArticleUpsert } from '../contract.js';
import { exhaustive } from './exhaustive.fixture.js';
import { SQLITE_FILE } from './schema.js';
import type { SqliteIndexReader } from './sqlite-reader.js';
import { SqliteIndexStore } from './sqlite-store.js';

const D = 8;

/** An article as an upsert: its first line the title, its paragraphs the chunks, random vectors. */
function upsertOf(rng: () => number, id: string, text: string): ArticleUpsert {
  const [title = '', ...paras] = text.split(/\n\s*\n/).filter((p) => p.trim());
  const chunks: Chunk[] = [];
  let start = 0;
  for (const p of paras.length > 0 ? paras : [title]) {
    chunks.push({
      id: `${id}#${chunks.length}`,
      articleId: id,
      ordinal: chunks.length,
      start,
      end: start + p.length,
      text: p,
      tokens: 50,
    });
    start += p.length + 1;
  }
  return {
    record: {
      id,
      path: `/corpus/${id}.txt`,
      hash: `h-${id}`,
      meta: { title: title.trim() },
      length: start - 1,
      chunkCount: chunks.length,
    },
    chunks,
    vectors: randomUnitVectors(rng, chunks.length, D),
  };
}

async function questions(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { question: string }).question);
}

describe('MaxScore on BBC and seed articles', () => {
  let dir: string;
  let reader: SqliteIndexReader;
  let reference: ReturnType<typeof exhaustive>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsrag-maxscore-corpus-'));
    const rng = prng(1);
    const upserts: ArticleUpsert[] = [];
    for (const topic of ['business', 'entertainment', 'politics', 'sport', 'tech']) {
      const names = (await readdir(join(BBC_CORPUS, topic))).filter((n) => n.endsWith('.txt')).sort();
      for (const name of names.slice(0, 80))
        upserts.push(upsertOf(rng, `${topic}/${name}`, await readFile(join(BBC_CORPUS, topic, name), 'utf8')));
    }
    for (const name of (await readdir(SEED_ARTICLES)).filter((n) => n.endsWith('.txt')))
      upserts.push(upsertOf(rng, `seed/${name}`, await readFile(join(SEED_ARTICLES, name), 'utf8')));
    const store = new SqliteIndexStore(dir);
    const first = upserts.slice(0, 300);
    (await store.write(syntheticUpdate(D, first))).close();
    // The rest, with some first-write articles replaced (by another article's text) and some removed.
    const replaced = first.slice(10, 20).map((u, i) => {
      const other = upserts[300 + i] as ArticleUpsert;
      return upsertOf(rng, u.record.id, [other.record.meta.title, ...other.chunks.map((c) => c.text)].join('\n\n'));
    });
    const removals = first.slice(40, 50).map((u) => u.record.id);
    reader = await store.write(syntheticUpdate(D, [...upserts.slice(300), ...replaced], removals));
    reference = exhaustive(reader, join(dir, SQLITE_FILE));
  });
  afterAll(async () => {
    reference?.close();
    reader?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ranks every dev question exactly as the exhaustive scorer, at k 10 and 50', async () => {
    const all = [
      ...(await questions(SEED_DEV)),
      ...(await questions(BBC_DEV)),
      ...(await questions(join(SHARED_DIR, 'eval', 'time-questions.dev.jsonl'))),
    ];
    expect(all.length).toBeGreaterThanOrEqual(70);
    for (const q of all) {
      for (const k of [10, 50]) expect(reader.lexicalSearch(q, k), `${q} (k ${k})`).toEqual(reference.search(q, k));
      for (const t of indexAnalyzer.terms(q))
        expect(reader.documentFrequency(t), t).toBe(reference.documentFrequency(t));
    }
  });
});
