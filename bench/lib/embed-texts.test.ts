import { describe, expect, it } from 'vitest';
import { articleParagraphs, bbcParagraphs, pickEvenly } from './embed-texts.js';

describe('embed bench texts', () => {
  it('takes body paragraphs: headline and short lines dropped, whitespace collapsed', () => {
    const text =
      'Headline of the story\n\nFirst paragraph of the body, long enough to count as one.\n\nBy a reporter\n\n' +
      'Second   paragraph,\nwrapped over two lines, also long enough.\n';
    expect(articleParagraphs(text)).toEqual([
      'First paragraph of the body, long enough to count as one.',
      'Second paragraph, wrapped over two lines, also long enough.',
    ]);
  });

  it('picks evenly and keeps everything when there are fewer items', () => {
    expect(pickEvenly([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5)).toEqual([0, 2, 4, 6, 8]);
    expect(pickEvenly([1, 2], 5)).toEqual([1, 2]);
  });

  it('says so (undefined) when the corpus is not there', () => {
    expect(bbcParagraphs('/nonexistent/newsrag/bbc', 10)).toBeUndefined();
  });
});
