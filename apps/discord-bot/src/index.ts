export { apologyFor, type Bot, type CreateBotOptions, createBot } from './bot.js';
export { commandDefinitions } from './commands/definitions.js';
export { handleFeeds } from './commands/feeds.js';
export { mayReindex, reindexReport } from './commands/reindex.js';
export {
  type BotConfig,
  BotConfigError,
  DEFAULT_DISCORD_API_URL,
  describeConfig,
  describeShard,
  isLeadProcess,
  isLoopbackHost,
  loadConfig,
  MAX_SHARD_PROCESSES,
  parseConfig,
  type ShardAssignment,
} from './config.js';
export { Cooldown, type CooldownResult, cooldownMessage } from './cooldown.js';
export { createFeedRefresh, type FeedRefresh, feedsToRefresh, refreshLog } from './feed-refresh.js';
export { FeedbackLog, type FeedbackRecord, feedbackLine, feedbackSecret, userKey, type Vote } from './feedback.js';
export { COMMIT_POLL_MS, ensureIndex, type FirstIndex } from './first-index.js';
export { type ButtonAction, MAX_MORE_PASSAGES, parseButtonId } from './handlers/buttons.js';
export { isQuestionForBot } from './handlers/mention.js';
export { openBotKnowledgeBase } from './knowledge-base.js';
export { createLogger, type Logger, redact } from './log.js';
export { installProcessGuards } from './process-guards.js';
export { checkQuestion, MAX_QUESTION_LENGTH, questionFromMention } from './question.js';
export { registerCommands } from './register-commands.js';
export {
  ABSTAIN_TEXT,
  answerButtons,
  BUTTON_IDS,
  FOLLOW_UP_PREFIX,
  type RenderAnswerOptions,
  type RenderedMessage,
  renderAnswer,
  renderMorePassages,
  shownChunkIds,
} from './render/answer-embed.js';
export { ELLIPSIS, embedLength, fitEmbed, fitEmbeds, fitMessage, LIMITS, truncate } from './render/limits.js';
export { renderSourcesPage, SOURCES_PER_PAGE, sortArticles } from './render/sources.js';
export { ShardCountError, shardCount } from './shard-count.js';
export {
  IDENTIFY_SPACING_MS,
  type ShardProcesses,
  type ShardProcessesOptions,
  ShardStartError,
  STOP_GRACE_MS,
  startShardProcesses,
} from './shard-processes.js';
export { THREAD_MEMORY, THREAD_NAME_MAX, ThreadConversations, threadName, turnOf } from './threads.js';
