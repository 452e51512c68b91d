import { describe, expect, it } from 'vitest';
import { boundDay } from './range.js';

describe('boundDay', () => {
  it('widens a year or month to its first (since) or last (until) day', () => {
    expect(boundDay('2024', 'since')).toBe('2024-01-01');
    expect(boundDay('2024', 'until')).toBe('2024-12-31');
    expect(boundDay('2024-02', 'until')).toBe('2024-02-29');
    expect(boundDay('2023-02', 'until')).toBe('2023-02-28');
    expect(boundDay('2024-06-19', 'since')).toBe('2024-06-19');
  });
  it('rejects anything else with BAD_OPTIONS naming the option', () => {
    for (const bad of ['June 2024', '2024-13', '2024-02-30', '24']) {
      expect(() => boundDay(bad, 'until')).toThrow(
        expect.objectContaining({ code: 'BAD_OPTIONS', message: expect.stringMatching(/--until/) }),
      );
    }
  });
});
