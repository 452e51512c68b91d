import {
  OTHER_STORY_PARAGRAPHS,
  OTHER_STORY_TITLE,
  storyText,
  trimmed30,
  WIRE_PARAGRAPHS,
  WIRE_TITLE,
} from '@newsrag/test-support';
import { describe, expect, it } from 'vitest';
import { canonicalOrder, nearDuplicateGroups, type SignedArticle, syndication } from './groups.js';
import { candidatePairs, candidateProbability } from './lsh.js';
import { exactJaccard } from './minhash.js';
import { normalisedWords, shingleHashes, withoutHeadline } from './shingles.js';
import { articleSignature, decodeSignature, SIGNATURE_SCHEME, signatureSimilarity } from './signature.js';
import { NEAR_DUPLICATE_BANDING, NEAR_DUPLICATE_JACCARD } from './threshold.js';

const original = storyText(WIRE_TITLE, WIRE_PARAGRAPHS);

function similarity(a: string, b: string, titleA = WIRE_TITLE, titleB = titleA): number {
  const sa = decodeSignature(articleSignature(a, titleA));
  const sb = decodeSignature(articleSignature(b, titleB));
  if (!sa || !sb) throw new Error('signature did not decode');
  return signatureSimilarity(sa, sb);
}

function signed(id: string, text: string, title: string, date?: string): SignedArticle {
  return { id, meta: date ? { date } : {}, signature: articleSignature(text, title) };
}

describe('normalisation', () => {
  it('folds case, accents, punctuation and whitespace', () => {
    expect(normalisedWords('Café “Déjà-vu”,  $100m-share\tsale’s')).toEqual([
      'cafe',
      'deja',
      'vu',
      '100m',
      'share',
      'sale',
      's',
    ]);
    expect(normalisedWords("$100m share sale's")).toEqual(['100m', 'share', 'sale', 's']);
  });

  it('drops the headline only when the text starts with it', () => {
    expect(withoutHeadline('Title here\n\nBody text.', 'Title here')).toBe('\n\nBody text.');
    expect(withoutHeadline('Title hereafter the body', 'Title here')).toBe('Title hereafter the body');
    expect(withoutHeadline('Body only.', undefined)).toBe('Body only.');
  });

  it('gives the same shingles whatever the paragraph order and line wrapping', () => {
    const reordered = [...WIRE_PARAGRAPHS].reverse().join('\n\n');
    const rewrapped = WIRE_PARAGRAPHS.map((p) => p.replace(/, /g, ',\n')).join('\n\n');
    const base = shingleHashes(WIRE_PARAGRAPHS.join('\n\n'));
    expect(exactJaccard(base, shingleHashes(reordered))).toBe(1);
    // Single newlines inside a paragraph are word breaks, not paragraph breaks.
    expect(exactJaccard(base, shingleHashes(rewrapped))).toBe(1);
  });
});

describe('signatures', () => {
  it('are deterministic and of the current scheme', () => {
    const a = articleSignature(original, WIRE_TITLE);
    expect(articleSignature(original, WIRE_TITLE)).toEqual(a);
    expect(a.scheme).toBe(SIGNATURE_SCHEME);
    expect(a.shingles).toBeGreaterThan(150);
    expect(decodeSignature({ ...a, scheme: 'minhash-old' })).toBeNull();
    // Pinned: signatures stored in an index must compare with ones computed by later code.
    // A change here must come with a new SIGNATURE_SCHEME (stored signatures are then recomputed).
    expect(articleSignature('One two three four five six.\n\nSeven eight nine.').minhash.slice(0, 24)).toBe(
      'tuyXDDS/MwOGd3cQKKapY1ht',
    );
    expect(decodeSignature({ ...a, minhash: 'AAAA' })).toBeNull();
  });

  it('estimate the exact Jaccard closely', () => {
    const trimmed = WIRE_PARAGRAPHS.slice(0, 4).join('\n\n');
    const exact = exactJaccard(shingleHashes(WIRE_PARAGRAPHS.join('\n\n')), shingleHashes(trimmed));
    const estimate = similarity(WIRE_PARAGRAPHS.join('\n\n'), trimmed);
    expect(exact).toBeGreaterThan(0.5);
    expect(exact).toBeLessThan(0.8);
    // 128 values: standard error ≈ 0.04.
    expect(Math.abs(estimate - exact)).toBeLessThan(0.13);
  });

  it('an empty text has no shingles and matches nothing', () => {
    const empty = articleSignature('  \n\n ', undefined);
    expect(empty.shingles).toBe(0);
    const d = decodeSignature(empty);
    expect(d && signatureSimilarity(d, d)).toBe(0);
  });
});

describe('near-duplicate grouping', () => {
  const headline = storyText('Storm-cracked pier in Port Alder shuts until next autumn', WIRE_PARAGRAPHS);
  const reordered = storyText(WIRE_TITLE, [
    WIRE_PARAGRAPHS[0] as string,
    WIRE_PARAGRAPHS[3] as string,
    WIRE_PARAGRAPHS[1] as string,
    WIRE_PARAGRAPHS[5] as string,
    WIRE_PARAGRAPHS[2] as string,
    WIRE_PARAGRAPHS[4] as string,
  ]);
  const trimmed = storyText(WIRE_TITLE, trimmed30(WIRE_PARAGRAPHS));
  const other = storyText(OTHER_STORY_TITLE, OTHER_STORY_PARAGRAPHS);

  it('finds the copies above the threshold and the other story below it', () => {
    expect(similarity(original, headline, WIRE_TITLE, 'Storm-cracked pier in Port Alder shuts until next autumn')).toBe(
      1,
    );
    expect(similarity(original, reordered)).toBe(1);
    expect(similarity(original, trimmed)).toBeGreaterThanOrEqual(NEAR_DUPLICATE_JACCARD);
    expect(similarity(original, other, WIRE_TITLE, OTHER_STORY_TITLE)).toBeLessThan(0.1);
  });

  it('groups headline-changed, re-ordered and 30 % trimmed copies, and not a different story on the topic', () => {
    const groups = nearDuplicateGroups([
      signed('wire/original', original, WIRE_TITLE, '2025-03-03'),
      signed('herald/pier', headline, 'Storm-cracked pier in Port Alder shuts until next autumn', '2025-03-04'),
      signed('gazette/pier', reordered, WIRE_TITLE, '2025-03-03'),
      signed('post/pier-short', trimmed, WIRE_TITLE),
      signed('herald/reopens', other, OTHER_STORY_TITLE, '2026-09-12'),
    ]);
    expect(groups).toEqual([
      { canonical: 'gazette/pier', articles: ['gazette/pier', 'wire/original', 'herald/pier', 'post/pier-short'] },
    ]);
  });

  it('picks the earliest dated, then the shortest id, then the first id; undated last', () => {
    const order = (xs: SignedArticle[]) => [...xs].sort(canonicalOrder).map((a) => a.id);
    const a = (id: string, date?: string): SignedArticle => ({ id, meta: date ? { date } : {} });
    expect(order([a('b', '2025-01-02'), a('zz', '2025-01-01'), a('a')])).toEqual(['zz', 'b', 'a']);
    expect(order([a('wire/story-2'), a('wire/story'), a('wire/storz')])).toEqual([
      'wire/story',
      'wire/storz',
      'wire/story-2',
    ]);
  });

  it('ignores articles without a current signature', () => {
    const sig = articleSignature(original, WIRE_TITLE);
    const groups = nearDuplicateGroups([
      { id: 'a', meta: {}, signature: sig },
      { id: 'b', meta: {} },
      { id: 'c', meta: {}, signature: { ...sig, scheme: 'minhash-w9-p64-v0' } },
    ]);
    expect(groups).toEqual([]);
  });

  it('joins copies transitively and gives the same groups whatever the input order', () => {
    const half = storyText(WIRE_TITLE, WIRE_PARAGRAPHS.slice(0, 3));
    const otherHalf = storyText(WIRE_TITLE, WIRE_PARAGRAPHS.slice(2));
    const items = [
      signed('x/full', original, WIRE_TITLE),
      signed('x/first-half', half, WIRE_TITLE),
      signed('x/second-half', otherHalf, WIRE_TITLE),
      signed('y/other', other, OTHER_STORY_TITLE),
    ];
    // The two halves share one paragraph only; each is a copy of the full story.
    expect(similarity(half, otherHalf)).toBeLessThan(NEAR_DUPLICATE_JACCARD);
    const forward = nearDuplicateGroups(items, { threshold: 0.4 });
    expect(forward).toHaveLength(1);
    expect([...(forward[0]?.articles ?? [])].sort()).toEqual(['x/first-half', 'x/full', 'x/second-half']);
    expect(nearDuplicateGroups([...items].reverse(), { threshold: 0.4 })).toEqual(forward);
    const s = syndication(items, { threshold: 0.4 });
    expect(s.groupOf('x/full')).toBe(s.groups[0]);
    expect(s.groupOf('y/other')).toBeUndefined();
  });
});

describe('templated texts', () => {
  it('never groups one-line notes, however alike, and joins 300 copies of one story past the bucket cap', () => {
    const notes = Array.from({ length: 400 }, (_, i) =>
      signed(`note/${i}`, `Note ${i}: the harbour reopened after repairs number ${i}.`, ''),
    );
    expect(nearDuplicateGroups(notes)).toEqual([]);
    const copies = Array.from({ length: 300 }, (_, i) =>
      signed(`copy/${String(i).padStart(3, '0')}`, original, WIRE_TITLE),
    );
    const groups = nearDuplicateGroups(copies);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.articles).toHaveLength(300);
    expect(groups[0]?.canonical).toBe('copy/000');
  });
});

describe('LSH banding', () => {
  it('makes pairs near the threshold candidates almost surely', () => {
    expect(candidateProbability(NEAR_DUPLICATE_JACCARD, NEAR_DUPLICATE_BANDING)).toBeGreaterThan(0.97);
    expect(candidateProbability(0.05, NEAR_DUPLICATE_BANDING)).toBeLessThan(0.01);
  });

  it('pairs signatures that share a band, each pair once', () => {
    const a = Uint32Array.from([1, 2, 3, 4, 5, 6]);
    const b = Uint32Array.from([1, 2, 3, 9, 9, 9]);
    const c = Uint32Array.from([7, 7, 7, 4, 5, 6]);
    const d = Uint32Array.from([8, 8, 8, 8, 8, 8]);
    expect(candidatePairs([a, b, null, c, d], { bands: 2, rows: 3 })).toEqual([
      [0, 1],
      [0, 3],
    ]);
  });
});
