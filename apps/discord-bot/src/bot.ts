import { join } from 'node:path';
import { type KnowledgeBase, NewsragError } from '@newsrag/core';
import {
  type BaseInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  Partials,
  type RateLimitData,
  RESTEvents,
} from 'discord.js';
import { LRUCache } from 'lru-cache';
import { AnswerLane } from './answer-lane.js';
import { handleAsk } from './commands/ask.js';
import { handleFeeds, handleFeedsAutocomplete } from './commands/feeds.js';
import { handleReindex } from './commands/reindex.js';
import { handleReport } from './commands/report.js';
import { handleSettings, handleSettingsAutocomplete } from './commands/settings.js';
import { handleSources, handleSourcesAutocomplete } from './commands/sources.js';
import { handleTimeline } from './commands/timeline.js';
import { type BotConfig, isLeadProcess } from './config.js';
import { type BotContext, NO_MENTIONS, type RememberedAnswer } from './context.js';
import { Cooldown } from './cooldown.js';
import { createFeedRefresh, type FeedRefresh } from './feed-refresh.js';
import { FeedbackLog } from './feedback.js';
import { handleButton } from './handlers/buttons.js';
import { handleMention } from './handlers/mention.js';
import { createLogger, type Logger } from './log.js';
import { QuestionLog } from './question-log.js';
import { splitInteractionRequests } from './rest.js';
import { SettingsStore } from './settings/store.js';
import { ThreadConversations } from './threads.js';

/** Answers remembered for their buttons. */
const REMEMBERED_ANSWERS = 1000;
/** One button click per user per this many seconds: "More sources" runs a search, votes write a file. */
const BUTTON_COOLDOWN_SECONDS = 2;

const APOLOGY = 'Sorry, something went wrong while handling that. Please try again in a moment.';

/** What to tell the user about a failure: core errors a user can act on get their own words. Pure. */
export function apologyFor(error: unknown): string {
  if (error instanceof NewsragError && error.code === 'INDEX_NOT_FOUND') {
    return 'No articles are indexed yet, so I cannot answer. An admin can run /reindex.';
  }
  return APOLOGY;
}

/** A running (or startable) bot. */
export interface Bot {
  /** The discord.js client (for tests and advanced wiring). */
  readonly client: Client;
  /** Logs in and resolves once the gateway session is ready. */
  start(): Promise<void>;
  /** Disconnects; the knowledge base is the caller's to close. */
  stop(): Promise<void>;
  /** The scheduled feed refresh (started by `start()`, ended by `stop()`). */
  readonly feeds: FeedRefresh;
}

export interface CreateBotOptions {
  logger?: Logger;
  /** Clock for the cooldown (tests). */
  now?: () => number;
  /** Settings store; default `<index dir>/settings.json`, opened by `start()`. */
  settings?: SettingsStore;
}

/**
 * Creates the Discord bot around a knowledge base: `/ask`, `/sources`, `/reindex`,
 * mentions and DMs, and the buttons under answers. Every handler error is caught and
 * logged (with the token scrubbed) and the user gets a short apology.
 */
export function createBot(config: BotConfig, kb: KnowledgeBase, options: CreateBotOptions = {}): Bot {
  const logger = options.logger ?? createLogger({ secrets: [config.token] });
  const ctx: BotContext = {
    config,
    kb,
    logger,
    cooldown: new Cooldown(config.cooldownSeconds, options.now),
    buttonCooldown: new Cooldown(BUTTON_COOLDOWN_SECONDS, options.now),
    feedback: new FeedbackLog(config.feedbackLog, config.feedbackSecret, config.feedbackMaxBytes),
    questions: new QuestionLog(config.questionLog, config.questionLogMaxBytes),
    answers: new LRUCache<string, RememberedAnswer>({ max: REMEMBERED_ANSWERS }),
    reindex: { running: false, lastStartedAt: null },
    lane: new AnswerLane(),
    now: options.now ?? Date.now,
    threads: new ThreadConversations(),
    settings: options.settings ?? null,
  };
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    // DM channels are not cached before their first message: without this partial DMs are dropped.
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    rest: { api: config.apiUrl },
  });
  // Interaction responses skip our own global limiter, as Discord does (see rest.ts).
  const interactionRest = splitInteractionRequests(client.rest, client.options.rest ?? {});
  // discord.js waits on its own (before a request, or after a 429); the log says where time went.
  const onRateLimited = (info: RateLimitData) =>
    logger.info(
      `rate limit on ${info.method.toUpperCase()} ${info.route} (${info.global ? 'global' : info.scope}): waiting ${Math.round(info.timeToReset)} ms`,
    );
  client.rest.on(RESTEvents.RateLimited, onRateLimited);
  interactionRest.on(RESTEvents.RateLimited, onRateLimited);

  client.on(Events.InteractionCreate, (interaction) => {
    void runInteraction(ctx, interaction);
  });
  client.on(Events.MessageCreate, (message) => {
    void runMessage(ctx, message);
  });
  client.on(Events.Error, (error) => logger.error('discord.js client error', error));
  client.on(Events.ShardError, (error) => logger.error('gateway connection error', error));
  client.on(Events.Warn, (message) => logger.warn(`discord.js: ${message}`));

  const feeds = createFeedRefresh(config, kb, logger);

  return {
    client,
    feeds,
    async start() {
      ctx.settings ??= await SettingsStore.open(join(config.indexDir, 'settings.json'));
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.token);
      await ready;
      logger.info(`logged in as ${client.user?.tag ?? 'unknown'} (${client.guilds.cache.size} guilds)`);
      // One refresh per bot, not per shard process: they would fetch the same feeds into one index.
      if (isLeadProcess(config.shard)) feeds.start();
      else logger.info('feed refresh: left to the process of shard 0');
      // The first askers about a story would otherwise wait for its sentences to be embedded.
      if (config.warmSentences > 0) {
        void kb
          .warm({ maxSentences: config.warmSentences })
          .then((w) => logger.info(`sentence cache warmed: ${w.embedded} embedded, ${w.cached} cached`))
          .catch((error: unknown) => logger.warn('sentence cache warm-up failed', error));
      }
    },
    async stop() {
      await feeds.stop();
      await client.destroy();
      interactionRest.clearHashSweeper();
      interactionRest.clearHandlerSweeper();
    },
  };
}

async function runInteraction(ctx: BotContext, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) {
      if (interaction.commandName === 'ask') await handleAsk(ctx, interaction);
      else if (interaction.commandName === 'sources') await handleSources(ctx, interaction);
      else if (interaction.commandName === 'reindex') await handleReindex(ctx, interaction);
      else if (interaction.commandName === 'timeline') await handleTimeline(ctx, interaction);
      else if (interaction.commandName === 'feeds') await handleFeeds(ctx, interaction);
      else if (interaction.commandName === 'settings') await handleSettings(ctx, interaction);
      else if (interaction.commandName === 'report') await handleReport(ctx, interaction);
      else
        await interaction.reply({
          content: 'Unknown command.',
          flags: MessageFlags.Ephemeral,
          allowedMentions: NO_MENTIONS,
        });
    } else if (interaction.isButton()) {
      await handleButton(ctx, interaction);
    } else if (interaction.isAutocomplete()) {
      if (interaction.commandName === 'sources') await handleSourcesAutocomplete(ctx, interaction);
      else if (interaction.commandName === 'settings') await handleSettingsAutocomplete(ctx, interaction);
      else if (interaction.commandName === 'feeds') await handleFeedsAutocomplete(ctx, interaction);
      else await interaction.respond([]);
    }
  } catch (error) {
    ctx.logger.error(`handler failed for interaction ${describeInteraction(interaction)}`, error);
    await apologise(ctx, interaction, apologyFor(error));
  }
}

async function runMessage(ctx: BotContext, message: Message): Promise<void> {
  try {
    await handleMention(ctx, message);
  } catch (error) {
    ctx.logger.error(`handler failed for message ${message.id}`, error);
    try {
      await message.reply({ content: apologyFor(error), allowedMentions: NO_MENTIONS });
    } catch (replyError) {
      ctx.logger.warn('could not send the apology', replyError);
    }
  }
}

function describeInteraction(interaction: BaseInteraction): string {
  const what = interaction.isChatInputCommand()
    ? `/${interaction.commandName}`
    : interaction.isButton()
      ? `button ${interaction.customId}`
      : `type ${interaction.type}`;
  return `${interaction.id} (${what})`;
}

async function apologise(ctx: BotContext, interaction: Interaction, apology: string): Promise<void> {
  if (!interaction.isRepliable()) return;
  try {
    if (interaction.deferred || interaction.replied) {
      await interaction.editReply({ content: apology, embeds: [], components: [], allowedMentions: NO_MENTIONS });
    } else {
      await interaction.reply({ content: apology, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    }
  } catch (error) {
    ctx.logger.warn('could not send the apology', error);
  }
}
