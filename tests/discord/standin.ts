/**
 * A faithful local stand-in for Discord's REST API and gateway, on 127.0.0.1 only.
 *
 * The real, unmodified discord.js client is pointed at it with
 * `new Client({ rest: { api: standin.apiUrl } })`; it answers `GET /gateway/bot` with
 * its own WebSocket address, performs the gateway handshake (HELLO → IDENTIFY → READY →
 * GUILD_CREATE), acknowledges heartbeats, and lets a test inject INTERACTION_CREATE /
 * MESSAGE_CREATE dispatches (or arbitrary payloads). Every REST call the bot makes is
 * recorded with its JSON body and timestamps, and checked against Discord's documented
 * message limits: a violation is answered with 400 (like Discord) and recorded, so tests
 * can assert that none happened. Load tests reuse it.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** Discord's epoch (2015-01-01), for snowflakes. */
const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeCounter = 0n;

/** A fresh snowflake id (timestamp-based, like Discord's, so route parsing treats it as an id). */
export function snowflake(): string {
  snowflakeCounter = (snowflakeCounter + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeCounter).toString();
}

/** Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedsTotal: 6000,
  actionRows: 5,
  componentsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
} as const;

/** Permission bits used by tests (string bitfields, as Discord sends them). */
export const PERMISSIONS = {
  /** View Channel + Send Messages + Read Message History: an ordinary member. */
  member: ((1n << 10n) | (1n << 11n) | (1n << 16n)).toString(),
  /** The above plus Manage Server. */
  manageGuild: ((1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 16n)).toString(),
} as const;

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
  /** Limit violations found in the body (empty when valid). */
  violations: string[];
}

/** A limit violation: which call, and what was wrong. */
export interface Violation {
  method: string;
  path: string;
  problems: string[];
}

export interface StandinUser {
  id: string;
  username: string;
  bot?: boolean;
  global_name?: string | null;
}

export interface StandinGuild {
  id: string;
  name: string;
  channels: Array<{ id: string; name: string; type?: number }>;
}

export interface StandinOptions {
  /** The bot's user (default: a fresh id, username `newsrag`). */
  botUser?: StandinUser;
  applicationId?: string;
  /** Guilds sent as GUILD_CREATE after READY (default: one guild with one text channel). */
  guilds?: StandinGuild[];
  /** Gateway heartbeat interval (ms). */
  heartbeatIntervalMs?: number;
}

export interface InteractionOptions {
  user?: StandinUser;
  /** String permission bitfield of the member (default {@link PERMISSIONS.member}). */
  permissions?: string;
  guildId?: string | null;
  channelId?: string;
}

export interface CommandInteractionOptions extends InteractionOptions {
  name: string;
  options?: Array<{ name: string; type: number; value: string | number | boolean }>;
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

/** Options for a GUILD_CREATE sent to the bot (defaults filled in). */
function guildCreatePayload(guild: StandinGuild, bot: StandinUser): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: snowflake(),
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        color: 0,
        hoist: false,
        position: 0,
        permissions: PERMISSIONS.member,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    stickers: [],
    joined_at: now,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [{ user: bot, roles: [], joined_at: now, deaf: false, mute: false, flags: 0 }],
    channels: guild.channels.map((c, position) => ({
      id: c.id,
      type: c.type ?? 0,
      guild_id: guild.id,
      name: c.name,
      position,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
    })),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** Checks a message body (create/edit/interaction response data) against Discord's limits. */
export function checkMessageLimits(body: unknown): string[] {
  const problems: string[] = [];
  if (body === null || typeof body !== 'object') return ['body is not a JSON object'];
  const b = body as Record<string, unknown>;
  const content = typeof b.content === 'string' ? b.content : '';
  if (content.length > DISCORD_LIMITS.content) problems.push(`content: ${content.length} > ${DISCORD_LIMITS.content}`);
  const embeds = Array.isArray(b.embeds) ? (b.embeds as Array<Record<string, unknown>>) : [];
  if (embeds.length > DISCORD_LIMITS.embeds) problems.push(`embeds: ${embeds.length} > ${DISCORD_LIMITS.embeds}`);
  let total = 0;
  embeds.forEach((e, i) => {
    const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);
    const check = (what: string, n: number, max: number) => {
      if (n > max) problems.push(`embeds[${i}].${what}: ${n} > ${max}`);
    };
    const title = len(e.title);
    const description = len(e.description);
    const footer = len((e.footer as Record<string, unknown> | undefined)?.text);
    const author = len((e.author as Record<string, unknown> | undefined)?.name);
    check('title', title, DISCORD_LIMITS.embedTitle);
    check('description', description, DISCORD_LIMITS.embedDescription);
    check('footer.text', footer, DISCORD_LIMITS.footerText);
    check('author.name', author, DISCORD_LIMITS.authorName);
    total += title + description + footer + author;
    const fields = Array.isArray(e.fields) ? (e.fields as Array<Record<string, unknown>>) : [];
    check('fields', fields.length, DISCORD_LIMITS.embedFields);
    fields.forEach((f, j) => {
      const name = len(f.name);
      const value = len(f.value);
      if (name === 0 || value === 0) problems.push(`embeds[${i}].fields[${j}]: name and value must be non-empty`);
      check(`fields[${j}].name`, name, DISCORD_LIMITS.fieldName);
      check(`fields[${j}].value`, value, DISCORD_LIMITS.fieldValue);
      total += name + value;
    });
  });
  if (total > DISCORD_LIMITS.embedsTotal) problems.push(`embeds total: ${total} > ${DISCORD_LIMITS.embedsTotal}`);
  const rows = Array.isArray(b.components) ? (b.components as Array<Record<string, unknown>>) : [];
  if (rows.length > DISCORD_LIMITS.actionRows)
    problems.push(`components: ${rows.length} rows > ${DISCORD_LIMITS.actionRows}`);
  rows.forEach((row, i) => {
    const items = Array.isArray(row.components) ? (row.components as Array<Record<string, unknown>>) : [];
    if (items.length > DISCORD_LIMITS.componentsPerRow) problems.push(`components[${i}]: ${items.length} > 5`);
    for (const item of items) {
      if (typeof item.custom_id === 'string' && item.custom_id.length > DISCORD_LIMITS.customId)
        problems.push(`components[${i}] custom_id: ${item.custom_id.length} > ${DISCORD_LIMITS.customId}`);
      if (typeof item.label === 'string' && item.label.length > DISCORD_LIMITS.buttonLabel)
        problems.push(`components[${i}] label: ${item.label.length} > ${DISCORD_LIMITS.buttonLabel}`);
    }
  });
  const hasPayload = content.length > 0 || embeds.length > 0;
  if (hasPayload && !('allowed_mentions' in b)) problems.push('allowed_mentions missing');
  return problems;
}

/** Pulls `payload_json` out of a multipart body (discord.js uses multipart only with files). */
function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw.length === 0) return null;
  if (contentType?.startsWith('multipart/form-data')) {
    const match = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw);
    return match?.[1] ? JSON.parse(match[1]) : null;
  }
  return JSON.parse(raw);
}

/**
 * The running stand-in. Create with {@link DiscordStandin.start}; always destroy the
 * discord.js client before {@link DiscordStandin.stop}, or it keeps reconnecting.
 */
export class DiscordStandin {
  /** Every REST call, in arrival order. */
  readonly calls: RestCall[] = [];
  /** Limit violations (each was answered with 400). */
  readonly violations: Violation[] = [];
  /** Gateway payloads the bot sent (IDENTIFY, heartbeats…). */
  readonly gatewayReceived: Array<{ op: number; d: unknown }> = [];
  readonly botUser: StandinUser;
  readonly applicationId: string;
  readonly guilds: StandinGuild[];
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly heartbeatIntervalMs: number;
  private seq = 0;
  private readonly listeners = new Set<() => void>();
  private identified!: Promise<void>;
  private resolveIdentified!: () => void;
  private port = 0;

  private constructor(options: StandinOptions) {
    this.botUser = options.botUser ?? { id: snowflake(), username: 'newsrag', bot: true, global_name: null };
    this.applicationId = options.applicationId ?? this.botUser.id;
    this.guilds = options.guilds ?? [
      { id: snowflake(), name: 'News desk', channels: [{ id: snowflake(), name: 'general' }] },
    ];
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.resetIdentified();
    this.server = createServer((req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.json(res, 500, { message: String(error), code: 0 });
      });
    });
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (ws) => this.handleSocket(ws));
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

  /** The first guild and its first channel: where tests talk by default. */
  get guildId(): string {
    return this.firstGuild().id;
  }

  get channelId(): string {
    const channel = this.firstGuild().channels[0];
    if (!channel) throw new Error('the stand-in guild has no channel');
    return channel.id;
  }

  /** Resolves when a client has identified and received READY + GUILD_CREATEs. */
  waitForIdentify(): Promise<void> {
    return this.identified;
  }

  /** Closes every socket and the HTTP server. */
  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Sends a gateway dispatch (op 0) with the next sequence number to every connected client. */
  dispatch(t: string, d: unknown): number {
    this.seq += 1;
    this.sendRaw({ op: 0, t, s: this.seq, d });
    return performance.now();
  }

  /** Sends any payload as-is (a string is sent verbatim, e.g. invalid JSON). */
  sendRaw(payload: unknown): void {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    if (this.sockets.size === 0) throw new Error('no gateway client is connected to the stand-in');
    for (const ws of this.sockets) ws.send(text);
  }

  /** Injects a slash command (INTERACTION_CREATE type 2). */
  sendCommand(options: CommandInteractionOptions): SentInteraction {
    return this.sendInteraction({
      type: 2,
      data: { id: snowflake(), name: options.name, type: 1, options: options.options ?? [] },
      ...options,
    });
  }

  /** Injects a button click (INTERACTION_CREATE type 3). */
  sendButton(options: ButtonInteractionOptions): SentInteraction {
    const channelId = options.channelId ?? this.channelId;
    return this.sendInteraction({
      type: 3,
      data: { custom_id: options.customId, component_type: 2 },
      message: this.messagePayload({
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
      channel: guildId ? { id: channelId, type: 0, guild_id: guildId } : { id: channelId, type: 1 },
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
    const sentAt = this.dispatch('INTERACTION_CREATE', payload);
    return { id, token, applicationId: this.applicationId, sentAt };
  }

  /** Injects a MESSAGE_CREATE (a guild message, or a DM when `guildId` is null). */
  sendMessage(options: MessageOptions): { id: string; channelId: string; sentAt: number } {
    const author = options.author ?? { id: snowflake(), username: 'reader', global_name: 'Reader' };
    const guildId = options.guildId === undefined ? this.guildId : options.guildId;
    const channelId = options.channelId ?? (guildId ? this.channelId : snowflake());
    const mentions = options.mentions ?? (options.content.includes(`<@${this.botUser.id}>`) ? [this.botUser] : []);
    const id = snowflake();
    const payload = this.messagePayload({
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

  /** Resolves with the first recorded call (past or future) matching `predicate`. */
  waitFor(predicate: (call: RestCall) => boolean, timeoutMs = 10_000): Promise<RestCall> {
    const found = this.calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.calls.find(predicate);
        if (hit) {
          cleanup();
          resolve(hit);
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

  private resetIdentified(): void {
    this.identified = new Promise((resolve) => {
      this.resolveIdentified = resolve;
    });
  }

  private messagePayload(fields: {
    id: string;
    channel_id: string;
    author: StandinUser;
    content: string;
    mentions?: unknown[];
    embeds?: unknown[];
    components?: unknown[];
    flags?: number;
  }): Record<string, unknown> {
    return {
      type: 0,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      mention_everyone: false,
      mention_roles: [],
      mentions: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
      ...fields,
      author: { discriminator: '0', avatar: null, global_name: null, ...fields.author },
    };
  }

  private handleSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', () => this.sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null }));
    ws.on('message', (raw) => {
      let payload: { op: number; d: unknown };
      try {
        payload = JSON.parse(raw.toString()) as { op: number; d: unknown };
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      this.gatewayReceived.push(payload);
      if (payload.op === 1) {
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      } else if (payload.op === 2) {
        const d = payload.d as { token?: string } | null;
        if (!d?.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        this.onIdentify(ws);
      } else if (payload.op === 6) {
        // Sessions are not kept across connections: tell the client to identify afresh.
        ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      }
    });
  }

  private onIdentify(ws: WebSocket): void {
    const send = (t: string, d: unknown) => {
      this.seq += 1;
      ws.send(JSON.stringify({ op: 0, t, s: this.seq, d }));
    };
    send('READY', {
      v: 10,
      user: { ...this.botUser, discriminator: '0', avatar: null, verified: true, mfa_enabled: false, flags: 0 },
      guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: `session-${snowflake()}`,
      resume_gateway_url: this.gatewayUrl,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      user_settings: {},
      _trace: ['newsrag-discord-standin'],
    });
    for (const guild of this.guilds) send('GUILD_CREATE', guildCreatePayload(guild, this.botUser));
    this.resolveIdentified();
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
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
      violations: [],
    };
    const respond = (status: number, payload?: unknown) => {
      call.status = status;
      call.respondedAt = performance.now();
      this.calls.push(call);
      if (status === 204 || payload === undefined) {
        res.writeHead(status);
        res.end();
      } else {
        this.json(res, status, payload);
      }
      for (const listener of [...this.listeners]) listener();
    };
    if (badJson) return respond(400, { message: '400: Bad Request', code: 50109 });

    const route = this.route(method, path, body, query);
    if (!route) return respond(404, { message: '404: Not Found', code: 0 });
    if (route.needsAuth && !call.authorized) return respond(401, { message: '401: Unauthorized', code: 0 });
    if (route.messageBody !== undefined) {
      const problems = checkMessageLimits(route.messageBody);
      const b = route.messageBody as Record<string, unknown> | null;
      const empty =
        !b ||
        ((typeof b.content !== 'string' || b.content.length === 0) &&
          (!Array.isArray(b.embeds) || b.embeds.length === 0) &&
          (!Array.isArray(b.components) || b.components.length === 0));
      if (route.requireNonEmpty && empty) problems.push('Cannot send an empty message');
      if (problems.length > 0) {
        call.violations = problems;
        this.violations.push({ method, path, problems });
        return respond(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
      }
    }
    return respond(route.status, route.response());
  }

  /** Maps a request to Discord's behaviour for it. */
  private route(
    method: string,
    path: string,
    body: unknown,
    query: Record<string, string>,
  ):
    | { status: number; response: () => unknown; needsAuth: boolean; messageBody?: unknown; requireNonEmpty?: boolean }
    | undefined {
    const b = (body ?? {}) as Record<string, unknown>;
    const message =
      (channelId: string, flags = 0) =>
      () =>
        this.messagePayload({
          id: snowflake(),
          channel_id: channelId,
          author: this.botUser,
          content: typeof b.content === 'string' ? b.content : '',
          embeds: Array.isArray(b.embeds) ? b.embeds : [],
          components: Array.isArray(b.components) ? b.components : [],
          flags: typeof b.flags === 'number' ? b.flags : flags,
        });
    if (method === 'GET' && (path === '/gateway/bot' || path === '/gateway')) {
      return {
        status: 200,
        needsAuth: path === '/gateway/bot',
        response: () => ({
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        }),
      };
    }
    if (method === 'GET' && path === '/users/@me') {
      return { status: 200, needsAuth: true, response: () => ({ ...this.botUser, discriminator: '0', avatar: null }) };
    }
    const callbackMatch = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callbackMatch && method === 'POST') {
      const type = b.type;
      const data = b.data as Record<string, unknown> | undefined;
      // Types 4 (message) and 7 (update) carry a message; 5/6 (deferred) only flags.
      const carriesMessage = type === 4 || type === 7;
      const interactionId = callbackMatch[1] ?? '';
      const withResponse = query.with_response === 'true';
      return {
        status: withResponse ? 200 : 204,
        needsAuth: false,
        messageBody: carriesMessage ? (data ?? null) : undefined,
        requireNonEmpty: carriesMessage,
        response: () =>
          withResponse
            ? {
                interaction: {
                  id: interactionId,
                  type: 2,
                  activity_instance_id: null,
                  response_message_id: null,
                  response_message_loading: type === 5,
                  response_message_ephemeral: false,
                },
                resource: { type },
              }
            : undefined,
      };
    }
    const webhookMessageMatch = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.exec(path);
    if (webhookMessageMatch) {
      const channelId = this.channelId;
      if (method === 'PATCH') return { status: 200, needsAuth: false, messageBody: body, response: message(channelId) };
      if (method === 'GET') return { status: 200, needsAuth: false, response: message(channelId) };
      if (method === 'DELETE') return { status: 204, needsAuth: false, response: () => undefined };
    }
    const webhookMatch = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path);
    if (webhookMatch && method === 'POST') {
      return {
        status: 200,
        needsAuth: false,
        messageBody: body,
        requireNonEmpty: true,
        response: message(this.channelId),
      };
    }
    const channelMessagesMatch = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (channelMessagesMatch && method === 'POST') {
      return {
        status: 200,
        needsAuth: true,
        messageBody: body,
        requireNonEmpty: true,
        response: message(channelMessagesMatch[1] ?? ''),
      };
    }
    const typingMatch = /^\/channels\/(\d+)\/typing$/.exec(path);
    if (typingMatch && method === 'POST') {
      return { status: 204, needsAuth: true, response: () => undefined };
    }
    const commandsMatch = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (commandsMatch && method === 'PUT') {
      const commands = Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [];
      const appId = commandsMatch[1] ?? '';
      const guildId = commandsMatch[2];
      return {
        status: 200,
        needsAuth: true,
        response: () =>
          commands.map((c) => ({
            ...c,
            id: snowflake(),
            application_id: appId,
            version: snowflake(),
            ...(guildId ? { guild_id: guildId } : {}),
          })),
      };
    }
    return undefined;
  }

  private json(res: ServerResponse, status: number, payload: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(payload));
  }
}
