/**
 * Threads as Discord runs them, for the stand-in: messages the bot posted (so a thread can be
 * started from one), `POST /channels/:channel/messages/:message/threads` with its limits and
 * errors (https://discord.com/developers/docs/resources/channel#start-thread-from-message),
 * and the thread channel objects the gateway and REST send.
 */
import { snowflake } from './payloads.js';

/** Discord's limits on starting a thread from a message. */
export const THREAD_LIMITS = {
  /** `name`: 1–100 characters. */
  nameMax: 100,
  /** `auto_archive_duration`: minutes, one of these. */
  autoArchiveDurations: [60, 1440, 4320, 10080] as readonly number[],
  /** `rate_limit_per_user`: 0–21600 seconds. */
  rateLimitPerUserMax: 21_600,
} as const;

/** Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types). */
export const CHANNEL_TYPES = {
  guildText: 0,
  dm: 1,
  announcementThread: 10,
  publicThread: 11,
  privateThread: 12,
} as const;

/** A message the bot posted, as the stand-in remembers it. */
export interface StandinMessage {
  id: string;
  channelId: string;
  /** Ephemeral messages belong to one user and live in no channel: no thread can start from them. */
  ephemeral: boolean;
}

/** A thread channel. Started from a message, it has that message's id (as on Discord). */
export interface StandinThread {
  id: string;
  guildId: string;
  parentId: string;
  name: string;
  ownerId: string;
  autoArchiveDuration: number;
  createdAt: string;
}

/** A refusal in Discord's words and codes. */
export interface ThreadRefusal {
  status: number;
  body: { message: string; code: number; errors?: string[] };
}

export const UNKNOWN_MESSAGE: ThreadRefusal = { status: 404, body: { message: 'Unknown Message', code: 10008 } };
export const UNKNOWN_CHANNEL: ThreadRefusal = { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
export const THREAD_EXISTS: ThreadRefusal = {
  status: 400,
  body: { message: 'A thread has already been created for this message', code: 160004 },
};
export const WRONG_CHANNEL_TYPE: ThreadRefusal = {
  status: 400,
  body: { message: 'Cannot execute action on this channel type', code: 50024 },
};

/** The problems of a start-thread body (empty when valid). Pure. */
export function threadBodyProblems(body: unknown): string[] {
  const b = (body ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof b.name !== 'string' || b.name.trim().length === 0) problems.push('name: required, 1-100 characters');
  else if ([...b.name].length > THREAD_LIMITS.nameMax)
    problems.push(`name: must be ${THREAD_LIMITS.nameMax} or fewer in length (got ${[...b.name].length})`);
  if (
    b.auto_archive_duration !== undefined &&
    !THREAD_LIMITS.autoArchiveDurations.includes(b.auto_archive_duration as number)
  )
    problems.push(`auto_archive_duration: must be one of ${THREAD_LIMITS.autoArchiveDurations.join(', ')}`);
  const rate = b.rate_limit_per_user;
  if (
    rate !== undefined &&
    rate !== null &&
    !(Number.isInteger(rate) && (rate as number) >= 0 && (rate as number) <= THREAD_LIMITS.rateLimitPerUserMax)
  )
    problems.push(`rate_limit_per_user: must be 0-${THREAD_LIMITS.rateLimitPerUserMax}`);
  return problems;
}

/** The channel object Discord sends for a thread (REST response and THREAD_CREATE). */
export function threadChannelPayload(thread: StandinThread): Record<string, unknown> {
  return {
    id: thread.id,
    type: CHANNEL_TYPES.publicThread,
    guild_id: thread.guildId,
    parent_id: thread.parentId,
    owner_id: thread.ownerId,
    name: thread.name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: thread.autoArchiveDuration,
      archive_timestamp: thread.createdAt,
      locked: false,
      create_timestamp: thread.createdAt,
    },
    member: { id: thread.id, user_id: thread.ownerId, join_timestamp: thread.createdAt, flags: 0 },
  };
}

/** Messages and threads of the stand-in, with the rules for starting a thread. */
export class ThreadRegistry {
  readonly messages = new Map<string, StandinMessage>();
  readonly threads = new Map<string, StandinThread>();

  /** Remembers a message the bot posted (from a REST response). */
  recordMessage(message: StandinMessage): void {
    this.messages.set(message.id, message);
  }

  /**
   * Checks `POST /channels/:channelId/messages/:messageId/threads` against Discord's rules;
   * `channelType` is the parent's type, or undefined for a channel the stand-in does not know.
   */
  check(
    channelId: string,
    messageId: string,
    body: unknown,
    channelType: number | undefined,
  ): ThreadRefusal | undefined {
    if (channelType === undefined) return UNKNOWN_CHANNEL;
    if (channelType !== CHANNEL_TYPES.guildText) return WRONG_CHANNEL_TYPE;
    const message = this.messages.get(messageId);
    if (!message || message.ephemeral || message.channelId !== channelId) return UNKNOWN_MESSAGE;
    if (this.threads.has(messageId)) return THREAD_EXISTS;
    const problems = threadBodyProblems(body);
    if (problems.length > 0)
      return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: problems } };
    return undefined;
  }

  /** Starts the thread (after {@link check} passed). */
  start(guildId: string, channelId: string, messageId: string, body: unknown, ownerId: string): StandinThread {
    const b = (body ?? {}) as Record<string, unknown>;
    const thread: StandinThread = {
      id: messageId,
      guildId,
      parentId: channelId,
      name: String(b.name),
      ownerId,
      autoArchiveDuration: typeof b.auto_archive_duration === 'number' ? b.auto_archive_duration : 4320,
      createdAt: new Date().toISOString(),
    };
    this.threads.set(thread.id, thread);
    return thread;
  }

  /** A thread a user started (not from the bot's message), e.g. to ask in a fresh thread. */
  userThread(guildId: string, parentId: string, name: string, ownerId: string): StandinThread {
    const thread: StandinThread = {
      id: snowflake(),
      guildId,
      parentId,
      name,
      ownerId,
      autoArchiveDuration: 1440,
      createdAt: new Date().toISOString(),
    };
    this.threads.set(thread.id, thread);
    return thread;
  }
}
