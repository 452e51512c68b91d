import { describe, expect, it } from 'vitest';
import { atLeast, atMost, floorLine, holds } from './floors.js';

describe('floors', () => {
  it('passes at the limit, fails above it, and never passes what was not measured', () => {
    expect(atMost('p95', 30, 30, 'ms').status).toBe('PASS');
    expect(atMost('p95', 30.01, 30, 'ms').status).toBe('FAIL');
    expect(atMost('p95', undefined, 30, 'ms').status).toBe('NOT RUN');
    expect(atMost('p95', Number.NaN, 30, 'ms').status).toBe('NOT RUN');
  });

  it('treats a strict floor as "less than"', () => {
    expect(atMost('rss', 50, 50, 'MB', { strict: true }).status).toBe('FAIL');
    expect(atMost('rss', 49.9, 50, 'MB', { strict: true }).status).toBe('PASS');
  });

  it('prints one line with the status, figure, floor and note', () => {
    const line = floorLine(atMost('load', 1.5, 1, 's', { note: 'median of 5' }));
    expect(line).toBe('FAIL    load: 1.5 s (floor ≤ 1.0 s) — median of 5');
    expect(floorLine(holds('beats', undefined, 'n/a', 'x > y'))).toMatch(/^NOT RUN /);
  });

  it('passes "at least" at the limit and never passes what was not measured', () => {
    expect(atLeast('ratio', 1.5, 1.5, '×', { decimals: 2 }).status).toBe('PASS');
    expect(atLeast('ratio', 1.49, 1.5, '×', { decimals: 2 }).status).toBe('FAIL');
    expect(atLeast('ratio', undefined, 1.5, '×').status).toBe('NOT RUN');
    expect(atLeast('ratio', Number.POSITIVE_INFINITY, 1.5, '×').status).toBe('NOT RUN');
    expect(floorLine(atLeast('ratio', 2, 1.5, '×', { decimals: 2 }))).toBe('PASS    ratio: 2.00 × (floor ≥ 1.50 ×)');
  });
});
