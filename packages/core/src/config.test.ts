/** Settings read once through zod: a bad value names its field, in the message and as an item. */
import { describe, expect, it } from 'vitest';
import { envDefaults, parseKnowledgeBaseOptions } from './config.js';
import { NewsragError } from './errors.js';

function thrown(f: () => unknown): NewsragError {
  try {
    f();
  } catch (error) {
    if (error instanceof NewsragError) return error;
    throw error;
  }
  throw new Error('expected a NewsragError');
}

describe('BAD_OPTIONS', () => {
  it('lists each bad environment variable as its own problem, the ones the message names', () => {
    const error = thrown(() => envDefaults({ NEWSRAG_DTYPE: 'fp16', NEWSRAG_INDEX_ENGINE: 'mysql' }));
    expect(error.code).toBe('BAD_OPTIONS');
    expect(error.problems).toHaveLength(2);
    expect(error.problems.find((p) => p.startsWith('NEWSRAG_DTYPE: '))).toBeDefined();
    expect(error.problems.find((p) => p.startsWith('NEWSRAG_INDEX_ENGINE: '))).toBeDefined();
    for (const p of error.problems) expect(error.message).toContain(p);
  });

  it('lists a bad option of openKnowledgeBase by its field', () => {
    const error = thrown(() => parseKnowledgeBaseOptions({ dtype: 'fp64' as 'q8' }));
    expect(error.problems).toEqual([expect.stringMatching(/^dtype: /)]);
  });

  it('has no problems list for the other codes', () => {
    expect(new NewsragError('INDEX_NOT_FOUND', 'no index').problems).toEqual([]);
  });
});
