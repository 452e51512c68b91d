/**
 * A faithful local stand-in for Discord's REST API and gateway, on 127.0.0.1 only.
 *
 * The real, unmodified discord.js client is pointed at it with
 * `new Client({ rest: { api: standin.apiUrl } })`; it answers `GET /gateway/bot` with
 * its own WebSocket address, performs the gateway handshake, and lets a test inject
 * INTERACTION_CREATE / MESSAGE_CREATE dispatches (or arbitrary payloads). Every REST call
 * is recorded with its JSON body, response headers and timestamps, and answered the way
 * Discord would:
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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { StandinClock } from './clock.js';
import { type GatewaySession, MAX_GUILDS_PER_SESSION, StandinGateway, shardOf } from './gateway.js';
import { InteractionLedger, type InteractionRecord, type Refusal } from './interactions.js';
import { checkAutocompleteChoices, checkMessageLimits, isEmptyMessage, parseBody } from './message-limits.js';
import { messagePayload, PERMISSIONS, type StandinGuild, type StandinUser, snowflake } from './payloads.js';
import { DISCORD_RATE_LIMITS, RateLimiter, type RateLimitHit, type RateLimitRules } from './rate-limits.js';
import { route } from './routes.js';
import { CHANNEL_TYPES, type StandinThread, ThreadRegistry, threadChannelPayload } from './threads.js';

/** One REST request the bot made. */
export interface RestCall {
  method: string;
  /** Path below `/api/v10`, URL-decoded (`/webhooks/1/tok/messages/@original`). */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (for multipart, the `payload_json` part), or null. */
  body: unknown;
  /** Whether the `Authorization` header was present (never its value: it carries the token). */
  authorized: boolean;
  /** `performance.now()` when the request arrived. */
  receivedAt: number;
  /** `performance.now()` when the stand-in answered it. */
  respondedAt: number;
  status: number;
  /** Headers of the answer (rate-limit headers included). */
  responseHeaders: Record<string, string>;
  /** Discord's JSON error code when refused (10062, 40060, 50027, 50035…). */
  code?: number;
  /** The JSON body of a refusal (4xx), e.g. a 429's `{ message, retry_after, global }`. */
  errorBody?: unknown;
  /** Limit violations found in the body (empty when valid). */
  violations: string[];
}

/** A limit violation: which call, and what was wrong. */
export interface Violation {
  method: string;
  path: string;
  problems: string[];
}

/** A request refused by a rule other than the message limits (rate limit, interaction token). */
export interface RuleRefusal {
  method: string;
  path: string;
  status: number;
  code: number;
  message: string;
  /** Set for 429s. */
  rateLimit?: RateLimitHit;
}

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
    this.server = createServer((req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.json(res, 500, { message: String(error), code: 0 });
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
    const payload: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      type: options.type,
      token,
      version: 1,
      data: options.data,
      channel_id: channelId,
      channel: this.channelPayload(channelId, guildId),
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: {},
      app_permissions: PERMISSIONS.manageGuild,
      context: guildId ? 0 : 1,
      attachment_size_limit: 8_388_608,
    };
    if (options.message) payload.message = options.message;
    if (guildId) {
      payload.guild_id = guildId;
      payload.guild_locale = 'en-US';
      payload.member = {
        user: { ...user, discriminator: '0', avatar: null },
        roles: [],
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        permissions: options.permissions ?? PERMISSIONS.member,
      };
    } else {
      payload.user = { ...user, discriminator: '0', avatar: null };
    }
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
    const payload = messagePayload({
      id,
      channel_id: channelId,
      author,
      content: options.content,
      mentions: mentions.map((m) => ({ ...m, discriminator: '0', avatar: null })),
    });
    if (guildId) {
      payload.guild_id = guildId;
      payload.member = { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 };
    } else {
      payload.channel_type = 1;
    }
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

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const now = this.clock.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname.replace(/^\/api(\/v\d+)?/, ''));
    const query = Object.fromEntries(url.searchParams);
    let body: unknown = null;
    let badJson = false;
    try {
      body = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
    } catch {
      badJson = true;
    }
    const call: RestCall = {
      method,
      path,
      query,
      body,
      authorized: typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0,
      receivedAt,
      respondedAt: 0,
      status: 0,
      responseHeaders: {},
      violations: [],
    };
    const respond = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      call.respondedAt = performance.now();
      call.responseHeaders = headers;
      if (status >= 400) {
        call.errorBody = payload;
        if (payload && typeof payload === 'object' && 'code' in payload) call.code = (payload as { code: number }).code;
      }
      this.calls.push(call);
      if (status === 204 || payload === undefined) {
        res.writeHead(status, headers);
        res.end();
      } else {
        this.json(res, status, payload, headers);
      }
      for (const listener of [...this.listeners]) listener(call);
    };
    const refuse = (refusal: Refusal, headers: Record<string, string> = {}) => {
      this.refusals.push({ method, path, ...refusal });
      respond(refusal.status, { message: refusal.message, code: refusal.code }, headers);
    };
    if (badJson) return respond(400, { message: '400: Bad Request', code: 50109 });

    const found = route(
      {
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
      },
      method,
      path,
      body,
      query,
    );
    if (!found) return respond(404, { message: '404: Not Found', code: 0 });
    if (found.needsAuth && !call.authorized) return respond(401, { message: '401: Unauthorized', code: 0 });

    const limit = this.rateLimiter.take(method, path, call.authorized, now);
    if (!limit.allowed) {
      this.refusals.push({ method, path, status: 429, code: 0, message: limit.body.message, rateLimit: limit.hit });
      return respond(429, limit.body, limit.headers);
    }
    if (found.interactionCallback) {
      const { id, token } = found.interactionCallback;
      const refusal = this.interactions.checkCallback(id, token, now);
      if (refusal) return refuse(refusal, limit.headers);
    }
    if (found.webhook) {
      const refusal = this.interactions.checkWebhook(found.webhook.applicationId, found.webhook.token, now);
      if (refusal) return refuse(refusal, limit.headers);
    }
    if (found.messageBody !== undefined) {
      const problems = checkMessageLimits(found.messageBody);
      if (found.requireNonEmpty && isEmptyMessage(found.messageBody)) problems.push('Cannot send an empty message');
      if (problems.length > 0) {
        call.violations = problems;
        this.violations.push({ method, path, problems });
        return respond(400, { message: 'Invalid Form Body', code: 50035, errors: problems }, limit.headers);
      }
    }
    if (found.choicesBody !== undefined) {
      const problems = checkAutocompleteChoices(found.choicesBody);
      if (problems.length > 0) {
        call.violations = problems;
        this.violations.push({ method, path, problems });
        return respond(400, { message: 'Invalid Form Body', code: 50035, errors: problems }, limit.headers);
      }
    }
    if (found.interactionCallback) {
      const data = (body as { data?: { flags?: number } } | null)?.data;
      const ephemeral = ((data?.flags ?? 0) & 64) !== 0;
      this.interactions.acknowledge(
        found.interactionCallback.id,
        found.interactionCallback.type,
        performance.now(),
        ephemeral,
      );
    }
    const payload = found.response();
    if (found.status >= 400) {
      const error = payload as { message: string; code: number };
      this.refusals.push({ method, path, status: found.status, code: error.code, message: error.message });
    } else this.recordBotMessage(payload);
    return respond(found.status, payload, limit.headers);
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

  private json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(payload));
  }
}
