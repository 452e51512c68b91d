import type { ArticleRecord } from '@newsrag/core';
import { describe, expect, it } from 'vitest';
import { renderSourcesPage, SOURCES_PER_PAGE, sortArticles, sourcesPageId } from './sources.js';

const record = (i: number, date?: string): ArticleRecord => ({
  id: `a${String(i).padStart(3, '0')}`,
  path: `/x/a${i}.txt`,
  hash: 'h',
  meta: { title: `Title ${i}`, ...(date ? { date } : {}) },
  length: 100,
  chunkCount: 1,
});

describe('renderSourcesPage', () => {
  it('lists title and date, newest first, without buttons when one page is enough', () => {
    const page = renderSourcesPage([record(1, '2024-01-01'), record(2, '2024-06-19'), record(3)], 0);
    expect(page.embeds[0]?.description).toBe('1. Title 2 (2024-06-19)\n2. Title 1 (2024-01-01)\n3. Title 3');
    expect(page.components).toHaveLength(0);
  });

  it('pages with Prev/Next, disabled at the ends, and clamps the page', () => {
    const articles = Array.from({ length: 25 }, (_, i) => record(i, `2024-01-${String(i + 1).padStart(2, '0')}`));
    const first = renderSourcesPage(articles, 0);
    const [prev, next] = first.components[0]?.components ?? [];
    expect(prev).toMatchObject({ label: 'Prev', disabled: true });
    expect(next).toMatchObject({ label: 'Next', disabled: false, custom_id: sourcesPageId(1) });
    expect(first.embeds[0]?.footer?.text).toBe('Page 1 of 3');
    const last = renderSourcesPage(articles, 99);
    expect(last.embeds[0]?.footer?.text).toBe('Page 3 of 3');
    expect(last.embeds[0]?.description?.split('\n')).toHaveLength(25 - 2 * SOURCES_PER_PAGE);
    expect(last.components[0]?.components[1]).toMatchObject({ disabled: true });
  });

  it('says when nothing is indexed', () => {
    expect(renderSourcesPage([], 0).embeds[0]?.description).toMatch(/No articles are indexed yet/);
  });

  it('sorts undated articles last', () => {
    expect(sortArticles([record(1), record(2, '2020-01-01')]).map((a) => a.id)).toEqual(['a002', 'a001']);
  });
});
