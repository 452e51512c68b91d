import type { SearchFilter } from '../types.js';

/** The dates a turn was restricted to (the `dateFrom`/`dateTo` of its search filter). */
export type TimeFrame = Pick<SearchFilter, 'dateFrom' | 'dateTo'>;

/** One earlier question of a conversation and what answering it used. */
export interface ConversationTurn {
  /** The question as the user asked it. */
  question: string;
  /**
   * The retrieval query it was answered with (`answer.query`, its rewrite when it was a follow-up
   * itself); default `question`. Keeping it lets a chain of follow-ups keep its subject.
   */
  query?: string;
  /** Articles its answer cited (`answer.citations[].articleId`). */
  citedArticleIds: readonly string[];
  /** The date range it was restricted to, if any. */
  timeFrame?: TimeFrame;
}

/** Which earlier turn a follow-up took its context from. */
export interface ContextFrom {
  /** 0-based index into the turns given. */
  turn: number;
  /** That turn's question, as asked. */
  question: string;
}

/** A question rewritten against the conversation before it (see `rewriteFollowUp`). */
export interface FollowUp {
  /** The question as asked. */
  question: string;
  /** What to retrieve with: the question, plus the carried subjects when it is a follow-up. */
  query: string;
  /** The earlier turn the context came from; null when the question stands on its own. */
  contextFrom: ContextFrom | null;
  /** Words carried over from that turn (empty when none). */
  carried: string[];
  /** Articles the earlier answers cited: boosted in retrieval when still relevant, never a filter. */
  preferArticleIds: string[];
  /** The date range carried from that turn (absent when none, or when the question names its own time). */
  timeFrame?: TimeFrame;
}
