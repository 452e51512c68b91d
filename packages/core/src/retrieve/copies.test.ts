import { describe, expect, it } from 'vitest';
import { syndication } from '../syndication/groups.js';
import { articleSignature } from '../syndication/signature.js';
import type { ArticleRecord, Passage } from '../types.js';
import { collapseCopies, reportKey } from './copies.js';

const STORY = [
  'The council voted on Tuesday to turn the disused rail yard beside the river into a park with a lido, a skate ramp and space for a weekly market.',
  'Work is due to start in the spring and take two years. The plan keeps the old signal box, which will become a cafe run by a local charity.',
  'Residents had campaigned for the park for a decade. Their petition gathered more than 9,000 signatures and was presented to the council in June.',
].join('\n\n');

function record(id: string, text: string, meta: ArticleRecord['meta']): ArticleRecord {
  return {
    id,
    path: `/x/${id}.txt`,
    hash: id,
    meta,
    length: text.length,
    chunkCount: 1,
    signature: articleSignature(text),
  };
}

const records = [
  record('wire/park', STORY, { title: 'Rail yard to become park', source: 'Wire', date: '2025-05-06' }),
  record('daily/park', STORY, { title: 'Park plan approved', source: 'Daily', url: 'https://daily.example/park' }),
  record('other/story', 'A completely different article about a football match that ended in a draw.', {}),
];
const byId = new Map(records.map((r) => [r.id, r]));
const reader = { article: (id: string) => byId.get(id) };
const groups = syndication(records);

const passage = (articleId: string, n: number): Passage => ({
  rank: 0,
  chunkId: `${articleId}#${n}`,
  articleId,
  text: `passage ${n}`,
  start: 0,
  end: 9,
  score: 1 / (n + 1),
  retrievers: {},
});

describe('collapseCopies', () => {
  it('keeps the best-ranked copy of a story with the others named, and drops their passages', () => {
    const out = collapseCopies(
      [passage('daily/park', 0), passage('other/story', 1), passage('wire/park', 2), passage('daily/park', 3)],
      groups,
      reader,
    );
    expect(out.map((p) => p.chunkId)).toEqual(['daily/park#0', 'other/story#1', 'daily/park#3']);
    const copies = [{ articleId: 'wire/park', title: 'Rail yard to become park', source: 'Wire', date: '2025-05-06' }];
    expect(out[0]?.alsoPublishedBy).toEqual(copies);
    expect(out[2]?.alsoPublishedBy).toEqual(copies);
    expect(out[1]?.alsoPublishedBy).toBeUndefined();
    expect(reportKey(out[0] as Passage)).toBe('daily/park');
    expect(reportKey({ articleId: 'wire/park', alsoPublishedBy: [{ articleId: 'daily/park' }] })).toBe('daily/park');
  });

  it('leaves candidates alone when the index has no copies', () => {
    const list = [passage('wire/park', 0), passage('other/story', 1)];
    expect(collapseCopies(list, syndication([]), reader)).toEqual(list);
  });
});
