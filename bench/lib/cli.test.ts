import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.js';

const sections = [{ id: 'embedding' }, { id: 'indexing' }, { id: 'latency' }];

describe('parseCli', () => {
  it('runs every section by default', () => {
    expect(parseCli([], sections)).toEqual({ quick: false, only: sections, keep: false, model: 'standin' });
  });

  it('keeps the run order when --only names sections in another order', () => {
    const cli = parseCli(['--quick', '--only', 'latency, embedding', '--keep'], sections);
    expect(cli.quick).toBe(true);
    expect(cli.keep).toBe(true);
    expect(cli.only.map((s) => s.id)).toEqual(['embedding', 'latency']);
  });

  it('names an unknown section and an unknown flag, with the usage', () => {
    expect(() => parseCli(['--only', 'indexing,bogus'], sections)).toThrow(/unknown section\(s\) bogus[\s\S]*usage/);
    expect(() => parseCli(['--fast'], sections)).toThrow(/--fast[\s\S]*usage/);
  });
});
