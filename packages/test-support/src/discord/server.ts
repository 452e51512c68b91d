/**
 * A faithful local stand-in for Discord's REST API and gateway, on 127.0.0.1 only.
 *
 * The real, unmodified discord.js client is pointed at it with
 * `new Client({ rest: { api: standin.apiUrl } })`; it answers `GET /gateway/bot` with
 * its own WebSocket address, performs the gateway handshake, and lets a test inject
 * INTERACTION_CREATE / MESSAGE_CREATE dispatches (or arbitrary payloads). This module puts
 * the parts together; every REST call is recorded with its JSON body, response headers and
 * timestamps, and answered the way Discord would (`rest.ts`, routes in `routes.ts`):
 *
 * - rate limits (`rate-limits.ts`): per-route buckets with `X-RateLimit-*` headers, the
 *   global 50 requests/s for bot-authenticated routes, interaction endpoints exempt from it
 *   with their own buckets, 429 with `retry_after` / `X-RateLimit-Global` / `X-RateLimit-Scope`;
 * - interaction tokens (`interactions.ts`): the initial response within 3 s and only once,
 *   the token valid for 15 minutes;
 * - message limits (`message-limits.ts`): a violation is answered 400 and recorded; so is an
 *   autocomplete result (callback type 8) over the choice limits;
 * - sharding (`gateway.ts`): `/gateway/bot` recommends {@link StandinOptions.shards} shards, each
 *   identified connection is a session of one shard, a guild's events reach only its shard's
 *   sessions, and a bad or missing shard is closed with 4010 / 4011.
 *
 * Load tests and the benchmark reuse it, so the bot is measured against the real limits.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { StandinClock } from './clock.js';
import { type GatewaySession, MAX_GUILDS_PER_SESSION, StandinGateway, shardOf } from './gateway.js';
import { InteractionLedger, type InteractionRecord } from './interactions.js';
import {
  interactionPayload,
  messageCreatePayload,
  messagePayload,
  PERMISSIONS,
  type StandinGuild,
  type StandinUser,
  snowflake,
} from './payloads.js';
import { DISCORD_RATE_LIMITS, RateLimiter, type RateLimitRules } from './rate-limits.js';
import { answerRest, type RestCall, type RestContext, type RuleRefusal, sendJson, type Violation } from './rest.js';
import type { RouteContext } from './routes.js';
import { CHANNEL_TYPES, type StandinThread, ThreadRegistry, threadChannelPayload } from './threads.js';

export interface StandinOptions {
  /** The bot's user (default: a fresh id, username `newsrag`). */
  botUser?: StandinUser;
  applicationId?: string;
  /** Guilds sent as GUILD_CREATE after READY (default: one guild with one text channel). */
  guilds?: StandinGuild[];
  /** Gateway heartbeat interval (ms). */
  heartbeatIntervalMs?: number;
  /** Rate limits to enforce instead of Discord's (tests shorten windows to stay fast). */
  rateLimits?: Partial<RateLimitRules>;
  /** The shard count `GET /gateway/bot` recommends (default 1). */
  shards?: number;
  /** Guilds one gateway session may hold before it is closed with 4011 (default Discord's 2,500). */
  maxGuildsPerSession?: number;
}

export interface InteractionOptions {
  user?: StandinUser;
  /** String permission bitfield of the member (default {@link PERMISSIONS.member}). */
  permissions?: string;
  guildId?: string | null;
  channelId?: string;
}

/** A command option as Discord sends it: a value, or a subcommand (type 1) with its own options. */
export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: CommandOption[];
  /** The option being typed, in an autocomplete interaction (type 4). */
  focused?: boolean;
}

export interface CommandInteractionOptions extends InteractionOptions {
  name: string;
  options?: CommandOption[];
  /** `data.resolved` (e.g. `{ channels: { id: {...} } }` for a channel option). */
  resolved?: Record<string, unknown>;
}

export interface ButtonInteractionOptions extends InteractionOptions {
  customId: string;
  /** The message the button is attached to (default: a stub message by the bot). */
  messageId?: string;
}

/** What an injected interaction looked like, to find the bot's answers to it. */
export interface SentInteraction {
  id: string;
  token: string;
  applicationId: string;
  /** `performance.now()` when the dispatch was written to the socket. */
  sentAt: number;
}

export interface MessageOptions {
  content: string;
  author?: StandinUser;
  channelId?: string;
  /** null for a DM. */
  guildId?: string | null;
  /** Users mentioned (by default the bot, when the content mentions it). */
  mentions?: StandinUser[];
}

/**
 * The running stand-in. Create with {@link DiscordStandin.start}; always destroy the
 * discord.js client before {@link DiscordStandin.stop}, or it keeps reconnecting.
 */
export class DiscordStandin {
  /** Every REST call, in arrival order. */
  readonly calls: RestCall[] = [];
  /** Message-limit violations (each was answered with 400). */
  readonly violations: Violation[] = [];
  /** Requests refused by a rate limit or an interaction-token rule. */
  readonly refusals: RuleRefusal[] = [];
  readonly botUser: StandinUser;
  readonly applicationId: string;
  readonly guilds: StandinGuild[];
  /** The stand-in's time; tests advance it to cross the 3-second or 15-minute marks. */
  readonly clock = new StandinClock();
  readonly rateLimiter: RateLimiter;
  /** Every interaction dispatched, and when it was acknowledged. */
  readonly interactions = new InteractionLedger();
  /** The shard count `GET /gateway/bot` recommends. */
  readonly shardCount: number;
  /** The bot's messages and the threads started (by the bot, or by {@link userThread}). */
  readonly threadRegistry = new ThreadRegistry();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly gateway: StandinGateway;
  private readonly listeners = new Set<(call: RestCall) => void>();
  private port = 0;

  private constructor(options: StandinOptions) {
    this.botUser = options.botUser ?? { id: snowflake(), username: 'newsrag', bot: true, global_name: null };
    this.applicationId = options.applicationId ?? this.botUser.id;
    this.guilds = options.guilds ?? [
      { id: snowflake(), name: 'News desk', channels: [{ id: snowflake(), name: 'general' }] },
    ];
    this.rateLimiter = new RateLimiter({ ...DISCORD_RATE_LIMITS, ...options.rateLimits });
    this.shardCount = options.shards ?? 1;
    if (!Number.isInteger(this.shardCount) || this.shardCount < 1) throw new Error('shards must be a whole number ≥ 1');
    const rest: RestContext = {
      clock: this.clock,
      rateLimiter: this.rateLimiter,
      interactions: this.interactions,
      routes: () => this.routeContext(),
      calls: this.calls,
      violations: this.violations,
      refusals: this.refusals,
      onAnswered: (call) => {
        for (const listener of [...this.listeners]) listener(call);
      },
      onResponse: (payload) => this.recordBotMessage(payload),
    };
    this.server = createServer((req, res) => {
      answerRest(rest, req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { message: String(error), code: 0 });
      });
    });
    this.wss = new WebSocketServer({ server: this.server });
    this.gateway = new StandinGateway(this.wss, {
      botUser: this.botUser,
      applicationId: this.applicationId,
      guilds: this.guilds,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      url: () => this.gatewayUrl,
      maxGuildsPerSession: options.maxGuildsPerSession ?? MAX_GUILDS_PER_SESSION,
    });
  }

  /** Starts the stand-in on an ephemeral port of 127.0.0.1. */
  static async start(options: StandinOptions = {}): Promise<DiscordStandin> {
    const standin = new DiscordStandin(options);
    standin.server.listen(0, '127.0.0.1');
    await once(standin.server, 'listening');
    standin.port = (standin.server.address() as AddressInfo).port;
    return standin;
  }

  /** REST base to give discord.js (`rest.api`), without trailing slash. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Gateway payloads the bot sent (IDENTIFY, heartbeats…). */
  get gatewayReceived(): Array<{ op: number; d: unknown }> {
    return this.gateway.received;
  }

  /** The calls answered 429. */
  get rateLimited(): RestCall[] {
    return this.calls.filter((c) => c.status === 429);
  }

  /** The first guild and its first channel: where tests talk by default. */
  get guildId(): string {
    return this.firstGuild().id;
  }

  get channelId(): string {
    const channel = this.firstGuild().channels[0];
    if (!channel) throw new Error('the stand-in guild has no channel');
    return channel.id;
  }

  /**
   * Resolves when a client has identified and received READY + GUILD_CREATEs: any client, or
   * with `shard`, a session of that shard.
   */
  waitForIdentify(shard?: number): Promise<void> {
    return this.gateway.waitForIdentify(shard);
  }

  /** Every gateway session identified so far (closed ones included), oldest first. */
  get sessions(): readonly GatewaySession[] {
    return this.gateway.sessions;
  }

  /** The shard a guild's events go to, by Discord's rule, with the recommended shard count. */
  shardOf(guildId: string): number {
    return shardOf(guildId, this.shardCount);
  }

  /** The sessions an injected interaction was dispatched to. */
  recipientsOf(sent: Pick<SentInteraction, 'id'>): GatewaySession[] {
    return this.gateway.recipients('INTERACTION_CREATE', sent.id);
  }

  /** Closes every socket and the HTTP server. */
  async stop(): Promise<void> {
    this.gateway.terminateAll();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Sends a gateway dispatch (op 0) to the sessions Discord would send it to (all of them
   * unsharded; else those of the payload's guild's shard, shard 0 without a guild), each with
   * its next sequence number.
   */
  dispatch(t: string, d: unknown): number {
    return this.gateway.dispatch(t, d);
  }

  /** Sends any payload as-is (a string is sent verbatim, e.g. invalid JSON). */
  sendRaw(payload: unknown): void {
    this.gateway.sendRaw(payload);
  }

  /** Injects a slash command (INTERACTION_CREATE type 2). */
  sendCommand(options: CommandInteractionOptions): SentInteraction {
    return this.sendInteraction({
      type: 2,
      data: {
        id: snowflake(),
        name: options.name,
        type: 1,
        options: options.options ?? [],
        ...(options.resolved ? { resolved: options.resolved } : {}),
      },
      ...options,
    });
  }

  /** Injects a button click (INTERACTION_CREATE type 3). */
  sendButton(options: ButtonInteractionOptions): SentInteraction {
    const channelId = options.channelId ?? this.channelId;
    return this.sendInteraction({
      type: 3,
      data: { custom_id: options.customId, component_type: 2 },
      message: messagePayload({
        id: options.messageId ?? snowflake(),
        channel_id: channelId,
        author: this.botUser,
        content: '',
      }),
      ...options,
    });
  }

  /** Injects an interaction of any type; fills in the fields Discord always sends. */
  sendInteraction(
    options: InteractionOptions & { type: number; data: Record<string, unknown>; message?: Record<string, unknown> },
  ): SentInteraction {
    const user = options.user ?? { id: snowflake(), username: 'reader', global_name: 'Reader' };
    const guildId = options.guildId === undefined ? this.guildId : options.guildId;
    const channelId = options.channelId ?? (guildId ? this.channelId : snowflake());
    const id = snowflake();
    const token = `itoken-${id}-${Math.random().toString(36).slice(2)}`;
    const payload = interactionPayload({
      id,
      token,
      applicationId: this.applicationId,
      type: options.type,
      data: options.data,
      channelId,
      channel: this.channelPayload(channelId, guildId),
      guildId,
      user,
      permissions: options.permissions ?? PERMISSIONS.member,
      ...(options.message ? { message: options.message } : {}),
    });
    // Registered before the dispatch leaves, so a callback can never beat its own record.
    const record: InteractionRecord = {
      id,
      token,
      applicationId: this.applicationId,
      sentAt: performance.now(),
      issuedAt: this.clock.now(),
      channelId,
    };
    this.interactions.register(record);
    record.sentAt = this.dispatch('INTERACTION_CREATE', payload);
    return { id, token, applicationId: this.applicationId, sentAt: record.sentAt };
  }

  /** Injects a MESSAGE_CREATE (a guild message, or a DM when `guildId` is null). */
  sendMessage(options: MessageOptions): { id: string; channelId: string; sentAt: number } {
    const author = options.author ?? { id: snowflake(), username: 'reader', global_name: 'Reader' };
    const guildId = options.guildId === undefined ? this.guildId : options.guildId;
    const channelId = options.channelId ?? (guildId ? this.channelId : snowflake());
    const mentions = options.mentions ?? (options.content.includes(`<@${this.botUser.id}>`) ? [this.botUser] : []);
    const id = snowflake();
    const payload = messageCreatePayload({ id, channelId, author, content: options.content, mentions, guildId });
    const sentAt = this.dispatch('MESSAGE_CREATE', payload);
    return { id, channelId, sentAt };
  }

  /** The threads started so far, oldest first. */
  get threads(): StandinThread[] {
    return [...this.threadRegistry.threads.values()];
  }

  /** A thread a user starts in a channel (not from the bot's message): THREAD_CREATE is dispatched. */
  userThread(options: { name: string; channelId?: string; guildId?: string; owner?: StandinUser }): StandinThread {
    const guildId = options.guildId ?? this.guildId;
    const thread = this.threadRegistry.userThread(
      guildId,
      options.channelId ?? this.channelId,
      options.name,
      (options.owner ?? { id: snowflake() }).id,
    );
    this.dispatch('THREAD_CREATE', { ...threadChannelPayload(thread), newly_created: true });
    return thread;
  }

  /** Type and guild of a channel the stand-in knows (a guild channel or a thread). */
  channelInfo(channelId: string): { type: number; guildId: string | null; parentId?: string } | undefined {
    const thread = this.threadRegistry.threads.get(channelId);
    if (thread) return { type: CHANNEL_TYPES.publicThread, guildId: thread.guildId, parentId: thread.parentId };
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === channelId);
      if (channel) return { type: channel.type ?? CHANNEL_TYPES.guildText, guildId: guild.id };
    }
    return undefined;
  }

  /** The partial channel an interaction carries (a thread's with its parent). */
  private channelPayload(channelId: string, guildId: string | null): Record<string, unknown> {
    if (!guildId) return { id: channelId, type: CHANNEL_TYPES.dm };
    const thread = this.threadRegistry.threads.get(channelId);
    if (thread) return { ...threadChannelPayload(thread), guild_id: guildId };
    return { id: channelId, type: CHANNEL_TYPES.guildText, guild_id: guildId };
  }

  /** Resolves with the first recorded call (past or future) matching `predicate`. */
  waitFor(predicate: (call: RestCall) => boolean, timeoutMs = 10_000): Promise<RestCall> {
    const found = this.calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      // Each listener sees only the new call: waiting on many calls stays linear.
      const check = (call: RestCall) => {
        if (predicate(call)) {
          cleanup();
          resolve(call);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`stand-in: no matching REST call within ${timeoutMs} ms (${this.calls.length} calls seen)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** The calls answering one interaction: its callback, and edits/follow-ups of its token. */
  callsFor(interaction: Pick<SentInteraction, 'id' | 'token'>): RestCall[] {
    return this.calls.filter(
      (c) => c.path.startsWith(`/interactions/${interaction.id}/`) || c.path.includes(`/${interaction.token}`),
    );
  }

  private firstGuild(): StandinGuild {
    const guild = this.guilds[0];
    if (!guild) throw new Error('the stand-in has no guild');
    return guild;
  }

  /** The stand-in as the REST routes see it (read at each request: the port, the channels). */
  private routeContext(): RouteContext {
    return {
      botUser: this.botUser,
      applicationId: this.applicationId,
      gatewayUrl: this.gatewayUrl,
      shards: this.shardCount,
      channelId: this.channelId,
      originalMessage: (token) => {
        const record = this.interactions.byTokenOf(token);
        if (!record) return undefined;
        record.originalMessageId ??= snowflake();
        return {
          id: record.originalMessageId,
          channelId: record.channelId ?? this.channelId,
          flags: record.ephemeral ? 64 : 0,
        };
      },
      interactionChannel: (token) => this.interactions.byTokenOf(token)?.channelId,
      channelInfo: (channelId) => this.channelInfo(channelId),
      threads: this.threadRegistry,
      onThreadStarted: (thread) =>
        // Discord tells the gateway too; discord.js caches the thread from either.
        setImmediate(() => this.dispatch('THREAD_CREATE', { ...threadChannelPayload(thread), newly_created: true })),
    };
  }

  /** Remembers a message the bot posted (a response carrying one), so threads can start from it. */
  private recordBotMessage(payload: unknown): void {
    const m = payload as { id?: unknown; channel_id?: unknown; author?: { id?: unknown }; flags?: unknown } | undefined;
    if (!m || typeof m.id !== 'string' || typeof m.channel_id !== 'string' || m.author?.id !== this.botUser.id) return;
    this.threadRegistry.recordMessage({
      id: m.id,
      channelId: m.channel_id,
      ephemeral: ((typeof m.flags === 'number' ? m.flags : 0) & 64) !== 0,
    });
  }
}
