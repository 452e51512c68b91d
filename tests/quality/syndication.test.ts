/**
 * One wire story printed by three outlets under three headlines (one copy re-ordered, one
 * trimmed), indexed from real files with the real all-MiniLM-L6-v2 (q8): the index groups
 * the copies, search shows one copy listing the other two in `alsoPublishedBy`, and
 * "reported by N" counts the copies once. Also: an index written before signatures gets
 * them on the next run without re-embedding anything.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type KnowledgeBase, openKnowledgeBase } from '@newsrag/core';
import { answerJson, formatAnswer, SIGNATURE_SCHEME } from '@newsrag/core/internals';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import {
  INDEPENDENT_PARAGRAPHS,
  INDEPENDENT_TITLE,
  OTHER_STORY_PARAGRAPHS,
  OTHER_STORY_TITLE,
  REAL_MODEL,
  trimmed30,
  WIRE_PARAGRAPHS,
} from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const COPIES = {
  'wire/pier': {
    title: 'Port Alder to close north pier for repairs',
    source: 'Wire Service',
    date: '2025-03-03',
    paragraphs: WIRE_PARAGRAPHS,
  },
  'herald/pier-closure': {
    title: 'Storm-cracked pier shuts until next autumn',
    source: 'The Herald',
    date: '2025-03-04',
    paragraphs: [2, 0, 1, 3, 5, 4].map((i) => WIRE_PARAGRAPHS[i] as string),
  },
  'gazette/ferries-move': {
    title: 'Ferries move to fishing quay as pier closes',
    source: 'Coast Gazette',
    date: '2025-03-05',
    paragraphs: trimmed30(WIRE_PARAGRAPHS),
  },
} as const;

const OTHERS = {
  'observer/pier-damage': {
    title: INDEPENDENT_TITLE,
    source: 'The Observer',
    date: '2025-03-03',
    paragraphs: INDEPENDENT_PARAGRAPHS,
  },
  'herald/pier-reopens': {
    title: OTHER_STORY_TITLE,
    source: 'The Herald',
    date: '2026-09-12',
    paragraphs: OTHER_STORY_PARAGRAPHS,
  },
};

function markdown(
  id: string,
  a: { title: string; source: string; date: string; paragraphs: readonly string[] },
): string {
  return [
    '---',
    `title: "${a.title}"`,
    `source: "${a.source}"`,
    `date: ${a.date}`,
    `url: "https://${id.split('/')[0]}.example/${id.split('/')[1]}"`,
    '---',
    '',
    a.paragraphs.join('\n\n'),
    '',
  ].join('\n');
}

let root: string;
let corpus: string;
let embedder: Embedder;
let kb: KnowledgeBase;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'newsrag-syndication-'));
  corpus = path.join(root, 'articles');
  for (const [id, a] of Object.entries({ ...COPIES, ...OTHERS })) {
    const file = path.join(corpus, `${id}.md`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, markdown(id, a));
  }
  embedder = await createEmbedder({ model: REAL_MODEL, dtype: 'q8', allowRemote: false });
  // The folder format, whose articles.json the backfill test below edits by hand.
  kb = await openKnowledgeBase({ indexDir: path.join(root, 'index'), embedder, engine: 'folder' });
  const summary = await kb.index([corpus]);
  expect(summary.added).toBe(5);
});

afterAll(async () => {
  await kb?.close();
  await embedder?.dispose();
});

describe(`syndicated copies (${REAL_MODEL} q8, real files)`, () => {
  it('groups the three copies, the wire original (earliest) as canonical', () => {
    expect(kb.nearDuplicateGroups()).toEqual([
      { canonical: 'wire/pier', articles: ['wire/pier', 'herald/pier-closure', 'gazette/ferries-move'] },
    ]);
    for (const r of kb.articles()) expect(r.signature?.scheme).toBe(SIGNATURE_SCHEME);
  });

  it('search shows one copy, naming the other two outlets', async () => {
    const passages = await kb.search('How much will the repairs of the north pier cost?', { k: 5 });
    const copyIds = Object.keys(COPIES);
    const shown = passages.filter((p) => copyIds.includes(p.articleId));
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown.map((p) => p.articleId)).size).toBe(1);
    const first = shown[0];
    const others = copyIds.filter((id) => id !== first?.articleId);
    expect(first?.alsoPublishedBy?.map((c) => c.articleId).sort()).toEqual([...others].sort());
    for (const c of first?.alsoPublishedBy ?? []) {
      const copy = COPIES[c.articleId as keyof typeof COPIES];
      const [outlet, slug] = c.articleId.split('/');
      expect(c).toEqual({
        articleId: c.articleId,
        title: copy.title,
        source: copy.source,
        date: copy.date,
        url: `https://${outlet}.example/${slug}`,
      });
    }
    // Articles without copies carry no list.
    for (const p of passages) if (!copyIds.includes(p.articleId)) expect(p.alsoPublishedBy).toBeUndefined();
  });

  it('answers citing one copy; "reported by" counts the independent reports only', async () => {
    const a = await kb.answer('How long will the north pier in Port Alder be closed?');
    expect(a.abstained).toBe(false);
    const copyIds = Object.keys(COPIES);
    const citedCopies = new Set(a.citations.map((c) => c.articleId).filter((id) => copyIds.includes(id)));
    expect(citedCopies.size).toBeLessThanOrEqual(1);
    for (const g of a.corroborations) {
      expect(g.count).toBeLessThanOrEqual(2);
      expect(g.articleIds.filter((id) => copyIds.includes(id)).length).toBeLessThanOrEqual(1);
    }
    const json = answerJson(a);
    const withCopies = json.passages.find((p) => copyIds.includes(p.articleId));
    expect(withCopies?.alsoPublishedBy).toHaveLength(2);
    expect(json.passages.find((p) => !copyIds.includes(p.articleId))?.alsoPublishedBy).toEqual([]);
    // "Eighteen months" is the copies' wording (the independent report says "a year and a half").
    const cited = a.citations.find((c) => copyIds.includes(c.articleId));
    expect(cited?.quote).toMatch(/eighteen months/);
    expect(cited?.alsoPublishedBy).toHaveLength(2);
    expect(formatAnswer(a)).toMatch(
      /\n {4}also published by (The Herald|Coast Gazette|Wire Service) \(2025-03-0\d\), /,
    );
  });

  it('never counts copies of the story as reports confirming each other', async () => {
    // Without the grouping these two questions, with room for three quotes, were answered
    // from all three copies "reported by 3 articles".
    const copyIds = Object.keys(COPIES);
    for (const q of ['How long will the north pier in Port Alder be closed?', 'Why is the north pier closing?']) {
      const a = await kb.answer(q, { maxSentences: 3 });
      expect(a.abstained).toBe(false);
      expect(new Set(a.citations.map((c) => c.articleId).filter((id) => copyIds.includes(id))).size).toBe(1);
      for (const g of a.corroborations) {
        expect(g.articleIds.filter((id) => copyIds.includes(id))).toHaveLength(1);
        expect(g.count).toBe(g.articleIds.length);
      }
    }
  });

  it('counts an independent report of the same news as a second report', async () => {
    const a = await kb.answer('How much will rebuilding the pier cost?');
    const copyIds = Object.keys(COPIES);
    expect(a.corroborations).toHaveLength(1);
    const g = a.corroborations[0];
    expect(g?.count).toBe(2);
    expect(g?.articleIds).toContain('observer/pier-damage');
    expect(g?.articleIds.filter((id) => copyIds.includes(id))).toHaveLength(1);
  });

  it('an index written before signatures gets them on the next run, re-embedding nothing', async () => {
    const indexDir = path.join(root, 'index');
    const current = (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim();
    const file = path.join(indexDir, current, 'articles.json');
    const records = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>[];
    await writeFile(file, JSON.stringify(records.map(({ signature: _dropped, ...rest }) => rest)));
    await kb.close();
    kb = await openKnowledgeBase({ indexDir, embedder, engine: 'folder' });
    expect(kb.articles().every((r) => r.signature === undefined)).toBe(true);
    expect(kb.nearDuplicateGroups()).toEqual([]);
    const summary = await kb.index([corpus]);
    expect(summary).toMatchObject({ added: 0, updated: 0, unchanged: 5, chunksEmbedded: 0 });
    expect(kb.nearDuplicateGroups()).toHaveLength(1);
    expect((await kb.stats({ check: true })).check?.ok).toBe(true);
    // Nothing left to fill in: the run after writes nothing.
    const generation = (await kb.stats()).generation;
    await kb.index([corpus]);
    expect((await kb.stats()).generation).toBe(generation);
  });
});
