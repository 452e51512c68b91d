import type { KnowledgeBase, SearchFilter } from '@newsrag/core';
import type { MessageMentionOptions } from 'discord.js';
import type { LRUCache } from 'lru-cache';
import type { AnswerLane } from './answer-lane.js';
import type { BotConfig } from './config.js';
import type { Cooldown } from './cooldown.js';
import type { FeedbackLog } from './feedback.js';
import type { Logger } from './log.js';
import type { QuestionLog } from './question-log.js';
import type { SettingsStore } from './settings/store.js';
import type { ThreadConversations } from './threads.js';

/** What the buttons under an answer need to remember about it. */
export interface RememberedAnswer {
  question: string;
  /** What "More sources" searches with: a follow-up's rewrite (default `question`). */
  query?: string;
  /** Chunk ids already shown (in the answer and by earlier "More sources" clicks). */
  shown: Set<string>;
  /** Asked privately (ephemeral): its question is never written to the feedback log. */
  private: boolean;
  /** What the answer's search was limited to ("More sources" keeps to it). */
  filter?: SearchFilter;
}

/** Everything the handlers share; built once by `createBot`. */
export interface BotContext {
  config: BotConfig;
  kb: KnowledgeBase;
  logger: Logger;
  cooldown: Cooldown;
  /** Per-user cooldown of the buttons ("More sources", votes), apart from questions'. */
  buttonCooldown: Cooldown;
  feedback: FeedbackLog;
  /** Questions asked in public, for `/report` (see `question-log.ts`). */
  questions: QuestionLog;
  /** answer id → question, for the buttons (bounded LRU). */
  answers: LRUCache<string, RememberedAnswer>;
  /** Only one `/reindex` runs at a time, and one starts at most every `reindexCooldownSeconds`. */
  reindex: { running: boolean; lastStartedAt: number | null };
  /** Where answering's CPU work queues, so acknowledgements never wait behind a burst of it. */
  lane: AnswerLane;
  /** Settings per server and channel (opened by `start()`; null before). */
  settings: SettingsStore | null;
  /** Conversations of the threads answers opened or were asked in (see `threads.ts`). */
  threads: ThreadConversations;
  /** Clock (tests). */
  now: () => number;
}

/** No @everyone, role or user pings, ever, and no ping of the person replied to. */
export const NO_MENTIONS: MessageMentionOptions = { parse: [], repliedUser: false };

/** Sources listed under an answer when the asker does not say. */
export const DEFAULT_SOURCES = 3;
