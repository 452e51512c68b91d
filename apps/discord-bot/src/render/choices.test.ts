import { describe, expect, it } from 'vitest';
import { booleanChoices, feedChoices, listChoices } from './choices.js';

const labels = (names: string[]) => names.map((name, i) => ({ name, articles: names.length - i }));

describe('listChoices', () => {
  it('completes the last item of a comma-separated list, keeping the earlier ones and not repeating them', () => {
    const ls = labels(['bbc', 'wire', 'weather-desk', 'sport']);
    expect(listChoices(ls, '')).toEqual([
      { name: 'all', value: 'all' },
      { name: 'bbc (4 articles)', value: 'bbc' },
      { name: 'wire (3 articles)', value: 'wire' },
      { name: 'weather-desk (2 articles)', value: 'weather-desk' },
      { name: 'sport (1 article)', value: 'sport' },
    ]);
    // Prefix matches first, then those containing it.
    expect(listChoices(ls, 'bbc, w').map((c) => c.value)).toEqual(['bbc,wire', 'bbc,weather-desk']);
    expect(listChoices(ls, 'bbc,wire,').map((c) => c.value)).toEqual(['bbc,wire,weather-desk', 'bbc,wire,sport']);
    expect(listChoices(ls, 'bbc, BB')).toEqual([]);
    expect(listChoices(ls, 'desk').map((c) => c.value)).toEqual(['weather-desk']);
  });

  it('keeps Discord limits: 25 choices, values and names of 1-100 characters', () => {
    const many = labels(Array.from({ length: 40 }, (_, i) => `c${i}`));
    expect(listChoices(many, '')).toHaveLength(25);
    const long = labels(['x'.repeat(60), 'y'.repeat(60), 'short']);
    // `x…x,y…y` would be 121 characters: not a possible value.
    const choices = listChoices(long, `${'x'.repeat(60)},`);
    expect(choices.map((c) => c.value)).toEqual([`${'x'.repeat(60)},short`]);
    for (const c of listChoices(labels(['z'.repeat(100)]), 'z')) {
      expect(c.value).toHaveLength(100);
      expect(c.name.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('feedChoices and booleanChoices', () => {
  it('offers feeds containing what was typed, at most 25, none too long to be a value', () => {
    const feeds = Array.from({ length: 30 }, (_, i) => `https://f.example/${i}.xml`);
    const tooLong = `https://f.example/${'x'.repeat(100)}`;
    expect(feedChoices([...feeds, tooLong], '')).toHaveLength(25);
    expect(feedChoices([...feeds, tooLong], 'xxx')).toEqual([]);
    expect(feedChoices(feeds, '/7.')).toEqual([{ name: 'https://f.example/7.xml', value: 'https://f.example/7.xml' }]);
    expect(booleanChoices('f')).toEqual([{ name: 'false', value: 'false' }]);
  });
});
