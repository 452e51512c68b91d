import { describe, expect, it } from 'vitest';
import { resolveSearchOptions } from './options.js';
import { preferArticles } from './search.js';

const list = ['x', 'y', 'z', 'a', 'b'].map((articleId, i) => ({ articleId, i }));

describe('preferArticles', () => {
  it('moves preferred candidates up the given number of places, a boost and not a filter', () => {
    expect(preferArticles(list, new Set(['a']), 1).map((p) => p.articleId)).toEqual(['x', 'y', 'a', 'z', 'b']);
    expect(preferArticles(list, new Set(['a']), 10).map((p) => p.articleId)).toEqual(['a', 'x', 'y', 'z', 'b']);
    expect(preferArticles(list, new Set(['q']), 3)).toEqual(list);
  });

  it('is validated as a list of ids', () => {
    expect(() => resolveSearchOptions({ preferArticles: 'a' as unknown as string[] })).toThrow(/preferArticles/);
    expect(resolveSearchOptions({ preferArticles: ['a'] }).preferArticles).toEqual(new Set(['a']));
  });
});
