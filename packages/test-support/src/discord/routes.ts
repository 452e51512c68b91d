/**
 * The REST routes the stand-in implements, and what Discord answers on each (status,
 * body, whether the bot's token is required, which part of the body is a message).
 */
import { messagePayload, type StandinUser, snowflake } from './payloads.js';
import { type StandinThread, type ThreadRegistry, threadChannelPayload } from './threads.js';

/** What the router needs to know about the stand-in. */
export interface RouteContext {
  botUser: StandinUser;
  applicationId: string;
  gatewayUrl: string;
  /** The shard count `/gateway/bot` recommends. */
  shards: number;
  /** Where webhook messages live when the interaction's channel is unknown (the first channel). */
  channelId: string;
  /** The interaction's original response message (stable id, its channel, 64 when ephemeral). */
  originalMessage?: (token: string) => { id: string; channelId: string; flags: number } | undefined;
  /** The interaction's channel, for its follow-ups. */
  interactionChannel?: (token: string) => string | undefined;
  /** A known channel's type and guild (undefined: unknown channel). */
  channelInfo?: (channelId: string) => { type: number; guildId: string | null } | undefined;
  threads?: ThreadRegistry;
  /** Called when a thread was started (the stand-in dispatches THREAD_CREATE). */
  onThreadStarted?: (thread: StandinThread) => void;
}

/** Discord's behaviour for one request. */
export interface RouteResult {
  status: number;
  response: () => unknown;
  needsAuth: boolean;
  /** The message carried by the body, checked against the limits (undefined: none). */
  messageBody?: unknown;
  requireNonEmpty?: boolean;
  /** The data of an autocomplete result (callback type 8), checked against the choice limits. */
  choicesBody?: unknown;
  /** Set for `POST /interactions/:id/:token/callback`. */
  interactionCallback?: { id: string; token: string; type: number };
  /** Set for `/webhooks/:application/:token/…`. */
  webhook?: { applicationId: string; token: string };
}

/** Maps a request to Discord's behaviour for it (undefined: 404). */
export function route(
  ctx: RouteContext,
  method: string,
  path: string,
  body: unknown,
  query: Record<string, string>,
): RouteResult | undefined {
  const b = (body ?? {}) as Record<string, unknown>;
  const message =
    (channelId: string, flags = 0, id = snowflake()) =>
    () =>
      messagePayload({
        id,
        channel_id: channelId,
        author: ctx.botUser,
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
        url: ctx.gatewayUrl,
        shards: ctx.shards,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      }),
    };
  }
  if (method === 'GET' && path === '/users/@me') {
    return { status: 200, needsAuth: true, response: () => ({ ...ctx.botUser, discriminator: '0', avatar: null }) };
  }
  const callbackMatch = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
  if (callbackMatch && method === 'POST') {
    const type = typeof b.type === 'number' ? b.type : 0;
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
      // Type 8 (APPLICATION_COMMAND_AUTOCOMPLETE_RESULT) carries `choices` instead of a message.
      choicesBody: type === 8 ? (data ?? null) : undefined,
      interactionCallback: { id: interactionId, token: callbackMatch[2] ?? '', type },
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
    const webhook = { applicationId: webhookMessageMatch[1] ?? '', token: webhookMessageMatch[2] ?? '' };
    // @original is one message, in the interaction's channel, with one id across edits.
    const original = webhookMessageMatch[3] === '@original' ? ctx.originalMessage?.(webhook.token) : undefined;
    const respond = original
      ? message(original.channelId, original.flags, original.id)
      : message(ctx.interactionChannel?.(webhook.token) ?? ctx.channelId);
    if (method === 'PATCH') return { status: 200, needsAuth: false, messageBody: body, response: respond, webhook };
    if (method === 'GET') return { status: 200, needsAuth: false, response: respond, webhook };
    if (method === 'DELETE') return { status: 204, needsAuth: false, response: () => undefined, webhook };
  }
  const webhookMatch = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path);
  if (webhookMatch && method === 'POST') {
    return {
      status: 200,
      needsAuth: false,
      messageBody: body,
      requireNonEmpty: true,
      response: message(ctx.interactionChannel?.(webhookMatch[2] ?? '') ?? ctx.channelId),
      webhook: { applicationId: webhookMatch[1] ?? '', token: webhookMatch[2] ?? '' },
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
  const threadMatch = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path);
  if (threadMatch && method === 'POST' && ctx.threads) {
    const [, channelId = '', messageId = ''] = threadMatch;
    const registry = ctx.threads;
    const info = ctx.channelInfo?.(channelId);
    const refusal = registry.check(channelId, messageId, body, info?.type);
    if (refusal) return { status: refusal.status, needsAuth: true, response: () => refusal.body };
    return {
      status: 201,
      needsAuth: true,
      response: () => {
        const thread = registry.start(info?.guildId ?? '', channelId, messageId, body, ctx.botUser.id);
        ctx.onThreadStarted?.(thread);
        return threadChannelPayload(thread);
      },
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
