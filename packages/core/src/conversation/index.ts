/** Follow-up questions in a conversation: rewritten against the turns before them, no LLM. */
export {
  FOLLOW_UP_LIMITS,
  type FollowUpLimits,
  followUpSearchOptions,
  leansOnContext,
  namesOf,
  rewriteFollowUp,
} from './rewrite.js';
export type { ContextFrom, ConversationTurn, FollowUp, TimeFrame } from './types.js';
