/**
 * A test helper shared by core's chunk/pack.test.ts and chunk/pack.corpus.test.ts (which runs
 * it over the BBC corpus).
 */
import type { Article, Chunk } from '@newsrag/core';
import { bodyStart, type ChunkOptions, embeddingText, headerText, splitSentences } from '@newsrag/core/internals';
import { expect } from 'vitest';

/**
 * Checks every promise of chunkArticle on one article. Chunks start and end at sentence
 * boundaries, except inside a sentence too long for one chunk (cut at word boundaries).
 */
export function checkChunks(a: Article, chunks: Chunk[], options: ChunkOptions): void {
  const { countTokens } = options;
  const maxChars = options.maxChars ?? 1200;
  const target = Math.min(options.targetTokens ?? 160, options.maxTokens);
  const specials = countTokens('');
  const headerTokens = countTokens(headerText(a.meta));
  const body = bodyStart(a);
  expect(chunks.length).toBeGreaterThan(0);
  const sentences = splitSentences(a.text, body).map((s) => {
    const tokens = countTokens(a.text.slice(s.start, s.end)) - specials;
    return { ...s, tokens, oversized: s.end - s.start > maxChars || headerTokens + tokens > target };
  });
  const starts = new Set(sentences.map((s) => s.start));
  const ends = new Set(sentences.map((s) => s.end));
  const insideOversized = (pos: number) => sentences.some((s) => s.oversized && s.start <= pos && pos <= s.end);
  chunks.forEach((c, i) => {
    expect(c.id).toBe(`${a.id}#${i}`);
    expect(c.articleId).toBe(a.id);
    expect(c.ordinal).toBe(i);
    expect(c.text).toBe(a.text.slice(c.start, c.end));
    expect(c.start).toBeGreaterThanOrEqual(body);
    expect(c.text.length).toBeLessThanOrEqual(maxChars);
    expect(c.tokens).toBeLessThanOrEqual(options.maxTokens);
    expect(c.tokens).toBe(countTokens(embeddingText(c, a.meta)));
    expect(starts.has(c.start) || insideOversized(c.start), `${c.id} starts mid-sentence`).toBe(true);
    expect(ends.has(c.end) || insideOversized(c.end), `${c.id} ends mid-sentence`).toBe(true);
  });
  for (let i = 1; i < chunks.length; i++) {
    const prev = chunks[i - 1] as Chunk;
    const next = chunks[i] as Chunk;
    expect(next.start).toBeGreaterThan(prev.start);
    expect(next.end).toBeGreaterThan(prev.end);
    // One sentence of overlap: the next chunk starts with the previous chunk's last sentence,
    // unless that sentence takes more than half the target or does not fit with the next one,
    // or is the previous chunk's only sentence (the previous chunk would be a subset of the next).
    const last = sentences.find((s) => s.end === prev.end && s.start > prev.start);
    const following = sentences.find((s) => s.start >= prev.end);
    if (last === undefined || following === undefined || (options.overlapSentences ?? 1) !== 1) continue;
    const fits =
      last.tokens <= target / 2 &&
      !following.oversized &&
      headerTokens + last.tokens + following.tokens <= target &&
      following.end - last.start <= maxChars;
    if (fits) expect(next.start, `${next.id} lost its overlap`).toBe(last.start);
  }
  // Coverage: every non-space character of the body is inside a chunk.
  let covered = body;
  for (const chunk of chunks) {
    expect(a.text.slice(covered, chunk.start).trim(), `text before ${chunk.id} not covered`).toBe('');
    covered = Math.max(covered, chunk.end);
  }
  expect(a.text.slice(covered).trim(), 'end of the article not covered').toBe('');
}
