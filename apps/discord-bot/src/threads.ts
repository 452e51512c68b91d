/**
 * Conversations of the threads the bot answers in: the earlier turns a follow-up is rewritten
 * against (see core's `rewriteFollowUp`), kept per thread, bounded in turns and in threads,
 * and forgotten after a time without questions.
 */
import type { Answer, ConversationTurn } from '@newsrag/core';
import { LRUCache } from 'lru-cache';

/** Bounds of the thread memory. */
export const THREAD_MEMORY = {
  /** Turns kept per thread (the oldest go first); the rewrite looks back at 4 of them. */
  turns: 10,
  /** Threads remembered at most (least recently asked in goes first). */
  threads: 1000,
  /** A thread's conversation is forgotten this long after its last question. */
  ttlMs: 24 * 60 * 60_000,
} as const;

/** Discord's limit on a thread's name. */
export const THREAD_NAME_MAX = 100;

/** Per-thread conversations: an LRU with a time-to-live (lru-cache). */
export class ThreadConversations {
  private readonly cache: LRUCache<string, ConversationTurn[]>;

  constructor(
    private readonly bounds: { turns: number; threads: number; ttlMs: number } = THREAD_MEMORY,
    now?: () => number,
  ) {
    this.cache = new LRUCache<string, ConversationTurn[]>({
      max: bounds.threads,
      ttl: bounds.ttlMs,
      // lru-cache reads its clock through `perf.now()` (and caches it for a millisecond unless
      // told not to); tests pass their own clock.
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
    });
  }

  /** The turns of a thread, oldest first (empty for a thread never seen, or forgotten). */
  turns(threadId: string): ConversationTurn[] {
    return [...(this.cache.get(threadId) ?? [])];
  }

  /** Whether the bot remembers a conversation in this thread. */
  has(threadId: string): boolean {
    return this.cache.has(threadId);
  }

  /** Adds an answered question to a thread's conversation (and restarts its time limit). */
  record(threadId: string, question: string, answer: Answer): void {
    const turns = [...(this.cache.get(threadId) ?? []), turnOf(question, answer)];
    this.cache.set(threadId, turns.slice(-this.bounds.turns));
  }

  get size(): number {
    return this.cache.size;
  }
}

/** What a follow-up needs of an answered question. Pure. */
export function turnOf(question: string, answer: Answer): ConversationTurn {
  return {
    question,
    query: answer.query ?? question,
    citedArticleIds: [...new Set(answer.citations.map((c) => c.articleId))],
  };
}

/** A thread name for a question: one line, at most {@link THREAD_NAME_MAX} characters. Pure. */
export function threadName(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim() || 'Question';
  return line.length <= THREAD_NAME_MAX ? line : `${line.slice(0, THREAD_NAME_MAX - 1).trimEnd()}…`;
}
