import type { Answer } from '@newsrag/core';
import { describe, expect, it } from 'vitest';
import { THREAD_NAME_MAX, ThreadConversations, threadName } from './threads.js';

const answered = (articleIds: string[], query?: string) =>
  ({ citations: articleIds.map((articleId) => ({ articleId })), ...(query ? { query } : {}) }) as unknown as Answer;

describe('ThreadConversations', () => {
  it('keeps each thread apart, with the cited articles and the rewritten query of every turn', () => {
    const t = new ThreadConversations();
    t.record('a', 'What car did Putin give Kim?', answered(['x', 'x', 'y']));
    t.record('a', 'What did he get in return?', answered(['x'], 'What did he get in return? Putin car'));
    t.record('b', 'Who signed the pact?', answered([]));
    expect(t.turns('a')).toEqual([
      { question: 'What car did Putin give Kim?', query: 'What car did Putin give Kim?', citedArticleIds: ['x', 'y'] },
      { question: 'What did he get in return?', query: 'What did he get in return? Putin car', citedArticleIds: ['x'] },
    ]);
    expect(t.turns('b')).toHaveLength(1);
    expect(t.turns('c')).toEqual([]);
  });

  it('is bounded in turns per thread and in threads, and forgets a thread after its time limit', () => {
    let now = 1_000;
    const t = new ThreadConversations({ turns: 3, threads: 2, ttlMs: 60_000 }, () => now);
    for (let i = 0; i < 5; i += 1) t.record('a', `q${i}`, answered([]));
    expect(t.turns('a').map((x) => x.question)).toEqual(['q2', 'q3', 'q4']);
    t.record('b', 'q', answered([]));
    t.record('c', 'q', answered([]));
    expect(t.size).toBe(2);
    expect(t.has('a')).toBe(false);
    now += 59_000;
    t.record('c', 'again', answered([]));
    now += 2_000;
    expect(t.has('b')).toBe(false);
    expect(t.turns('c')).toHaveLength(2);
  });
});

describe('threadName', () => {
  it('is one line of at most 100 characters', () => {
    expect(threadName('  What car\n did Putin give Kim? ')).toBe('What car did Putin give Kim?');
    const long = threadName('word '.repeat(60));
    expect(long.length).toBeLessThanOrEqual(THREAD_NAME_MAX);
    expect(long.endsWith('…')).toBe(true);
    expect(threadName('   ')).toBe('Question');
  });
});
