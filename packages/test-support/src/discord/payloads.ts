/**
 * Ids and the JSON shapes Discord sends (snowflakes, users, guilds, messages), so the
 * real discord.js client parses what the stand-in dispatches exactly as it would Discord's.
 */

/** Discord's epoch (2015-01-01), for snowflakes. */
const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeCounter = 0n;

/** A fresh snowflake id (timestamp-based, like Discord's, so route parsing treats it as an id). */
export function snowflake(): string {
  snowflakeCounter = (snowflakeCounter + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeCounter).toString();
}

/**
 * A fresh snowflake whose guild falls on `shard` of `shardCount` by Discord's rule
 * (`(id >> 22) % shardCount`): its timestamp is moved forward to the next millisecond that does.
 */
export function snowflakeOnShard(shard: number, shardCount: number): string {
  const id = BigInt(snowflake());
  const count = BigInt(shardCount);
  const ms = id >> 22n;
  const ahead = (BigInt(shard) - (ms % count) + count) % count;
  return (((ms + ahead) << 22n) | (id & 0x3fffffn)).toString();
}

/** Permission bits used by tests (string bitfields, as Discord sends them). */
export const PERMISSIONS = {
  /** View Channel + Send Messages + Read Message History: an ordinary member. */
  member: ((1n << 10n) | (1n << 11n) | (1n << 16n)).toString(),
  /** The above plus Manage Server. */
  manageGuild: ((1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 16n)).toString(),
} as const;

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

/** A guild with one text channel (`general`) whose id falls on `shard` of `shardCount`. */
export function guildOnShard(name: string, shard: number, shardCount: number): StandinGuild {
  return { id: snowflakeOnShard(shard, shardCount), name, channels: [{ id: snowflake(), name: 'general' }] };
}

/** A GUILD_CREATE dispatch for `guild`, with the bot as its only cached member. */
export function guildCreatePayload(guild: StandinGuild, bot: StandinUser): Record<string, unknown> {
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

/** A message object with every field Discord always sends, `fields` winning. */
export function messagePayload(fields: {
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

/**
 * An INTERACTION_CREATE dispatch with every field Discord always sends: in a guild the user
 * comes as a member with `permissions`, in a DM (`guildId` null) as a plain user.
 */
export function interactionPayload(fields: {
  id: string;
  token: string;
  applicationId: string;
  type: number;
  data: Record<string, unknown>;
  channelId: string;
  /** The partial channel the interaction carries. */
  channel: Record<string, unknown>;
  guildId: string | null;
  user: StandinUser;
  /** String permission bitfield of the member (in a guild). */
  permissions: string;
  /** The message a component is attached to. */
  message?: Record<string, unknown>;
}): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    id: fields.id,
    application_id: fields.applicationId,
    type: fields.type,
    token: fields.token,
    version: 1,
    data: fields.data,
    channel_id: fields.channelId,
    channel: fields.channel,
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    app_permissions: PERMISSIONS.manageGuild,
    context: fields.guildId ? 0 : 1,
    attachment_size_limit: 8_388_608,
  };
  if (fields.message) payload.message = fields.message;
  if (fields.guildId) {
    payload.guild_id = fields.guildId;
    payload.guild_locale = 'en-US';
    payload.member = {
      user: { ...fields.user, discriminator: '0', avatar: null },
      roles: [],
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      permissions: fields.permissions,
    };
  } else {
    payload.user = { ...fields.user, discriminator: '0', avatar: null };
  }
  return payload;
}

/** A MESSAGE_CREATE dispatch: a guild message with its author's member, or a DM (`guildId` null). */
export function messageCreatePayload(fields: {
  id: string;
  channelId: string;
  author: StandinUser;
  content: string;
  mentions: StandinUser[];
  guildId: string | null;
}): Record<string, unknown> {
  const payload = messagePayload({
    id: fields.id,
    channel_id: fields.channelId,
    author: fields.author,
    content: fields.content,
    mentions: fields.mentions.map((m) => ({ ...m, discriminator: '0', avatar: null })),
  });
  if (fields.guildId) {
    payload.guild_id = fields.guildId;
    payload.member = { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 };
  } else {
    payload.channel_type = 1;
  }
  return payload;
}
