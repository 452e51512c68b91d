import { describe, expect, it } from 'vitest';
import { decodeSegment, encodeSegment, MAX_SEGMENTS, pickMerge, sortEntries } from './postings.js';

describe('postings segment codec', () => {
  it('round-trips text triples and title pairs, including seqs and frequencies past 2^31', () => {
    const entries = {
      text: [1, 0, 3, 1, 1, 1, 7, 0, 200, 2 ** 33, 5, 1, 2 ** 33, 1_048_575, 2 ** 21],
      title: [1, 2, 9, 1, 2 ** 40, 300],
    };
    const blob = encodeSegment(entries);
    expect(decodeSegment(blob)).toEqual(entries);
    // Consecutive chunks of one article cost 3 bytes each.
    const dense = { text: [5, 0, 1, 5, 1, 1, 5, 2, 1], title: [] };
    expect(encodeSegment(dense).length).toBe(2 + 1 + 2 + 2 * 3);
  });

  it('names a truncated or overlong segment instead of misreading it', () => {
    const blob = encodeSegment({ text: [3, 0, 1, 4, 2, 150], title: [3, 1] });
    expect(() => decodeSegment(blob.subarray(0, blob.length - 1))).toThrow(/truncated/);
    expect(() => decodeSegment(Buffer.concat([blob, Buffer.from([1])]))).toThrow(/bytes after/);
    expect(() => decodeSegment(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow();
  });

  it('refuses unsorted or repeated entries, and sortEntries orders them by (seq, ordinal) keeping each entry whole', () => {
    const unsorted = { text: [9, 1, 4, 2, 0, 7, 9, 0, 2], title: [9, 1, 2, 5] };
    expect(() => encodeSegment(unsorted)).toThrow(/sorted/);
    expect(() => encodeSegment({ text: [2, 0, 1, 2, 0, 1], title: [] })).toThrow(/sorted/);
    const sorted = sortEntries(unsorted);
    expect(sorted).toEqual({ text: [2, 0, 7, 9, 0, 2, 9, 1, 4], title: [2, 5, 9, 1] });
    expect(decodeSegment(encodeSegment(sorted))).toEqual(sorted);
  });
});

describe('pickMerge', () => {
  it('merges nothing while a term has at most MAX_SEGMENTS segments', () => {
    expect(pickMerge(Array.from({ length: MAX_SEGMENTS }, () => 10))).toEqual([]);
  });

  it('merges the small fresh segments and leaves a large old one alone until the rest grows to its size', () => {
    const sizes = [100_000, 10, 12, 9, 11, 10, 10, 13, 10];
    const chosen = pickMerge(sizes);
    expect(chosen).not.toContain(0);
    expect(chosen.length).toBeGreaterThanOrEqual(2);
    expect(sizes.length - chosen.length + 1).toBeLessThanOrEqual(MAX_SEGMENTS);
    // Once the small ones add up to the big one, everything merges.
    expect(pickMerge([100, 60, 50, 40, 30, 20, 10, 10, 10]).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('always brings a term back under the limit, however many segments it has', () => {
    const sizes = Array.from({ length: 40 }, (_, i) => 2 ** (i % 20));
    const chosen = pickMerge(sizes);
    expect(sizes.length - chosen.length + 1).toBeLessThanOrEqual(MAX_SEGMENTS);
  });
});
