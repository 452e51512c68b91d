/**
 * Settings per server and channel: what each means, its default, and how a value typed in
 * `/settings set` is parsed and validated (zod). Pure.
 */
import { COLLECTION_NAME_PATTERN, normalizeLanguage } from '@newsrag/core';
import { z } from 'zod';

/**
 * A collection: an article's `collection` field or top folder (see core's `collectionOf`).
 * Core's rule, so a channel can be limited to exactly the names an article can carry.
 */
const collectionName = z
  .string()
  .regex(COLLECTION_NAME_PATTERN, 'must be collection names (see /settings view), comma-separated');

/** A language: a lower-case primary tag, as core keeps an article's (see core's `normalizeLanguage`). */
const languageTag = z.string().regex(/^[a-z]{2,3}$/, 'must be language tags such as en or fr, comma-separated');

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a channel id (17-20 digits) or a #channel mention');

/** Every setting with its schema, whether it can differ per channel, and what it does. */
export const SETTING_SPECS = {
  mentionChannels: {
    schema: z.array(snowflake).max(50).nullable(),
    perChannel: false,
    help: 'channels where mentions are answered (comma-separated ids or #mentions; "all" for every channel)',
  },
  privateByDefault: { schema: z.boolean(), perChannel: true, help: '/ask answers are private unless private:false' },
  answerInThread: { schema: z.boolean(), perChannel: true, help: 'every public answer opens a thread for follow-ups' },
  sources: { schema: z.number().int().min(1).max(10), perChannel: true, help: 'sources listed under an answer (1-10)' },
  cooldownSeconds: {
    schema: z.number().int().min(0).max(3600),
    perChannel: true,
    help: 'pause between two questions of one member (0-3600 s)',
  },
  collections: {
    schema: z.array(collectionName).min(1).max(50).nullable(),
    perChannel: true,
    help: 'collections (an article\'s collection field, else its top folder) questions here search (comma-separated; "all" for every article)',
  },
  languages: {
    schema: z.array(languageTag).min(1).max(50).nullable(),
    perChannel: true,
    help: 'languages questions here search (tags such as en, fr, comma-separated; articles that state none always count; "all" for every language)',
  },
} as const;

export type SettingKey = keyof typeof SETTING_SPECS;
export const SETTING_KEYS = Object.keys(SETTING_SPECS) as SettingKey[];

/** The effective settings of a channel. */
export interface ChannelSettings {
  mentionChannels: string[] | null;
  privateByDefault: boolean;
  answerInThread: boolean;
  sources: number;
  cooldownSeconds: number;
  /** null: every article. */
  collections: string[] | null;
  /** null: every language. Articles that state no language pass any list. */
  languages: string[] | null;
}

/** A server's own values; a channel may override all of them but `mentionChannels`. */
const GuildValuesSchema = z
  .object({
    mentionChannels: SETTING_SPECS.mentionChannels.schema.optional(),
    privateByDefault: z.boolean().optional(),
    answerInThread: z.boolean().optional(),
    sources: SETTING_SPECS.sources.schema.optional(),
    cooldownSeconds: SETTING_SPECS.cooldownSeconds.schema.optional(),
    collections: SETTING_SPECS.collections.schema.optional(),
    languages: SETTING_SPECS.languages.schema.optional(),
  })
  .strict();

/** What a server has set: its own values and per-channel overrides. */
export const GuildSettingsSchema = z.object({
  guild: GuildValuesSchema,
  channels: z.record(snowflake, GuildValuesSchema.omit({ mentionChannels: true }).strict()),
});
export type GuildSettings = z.infer<typeof GuildSettingsSchema>;

export const EMPTY_GUILD_SETTINGS: GuildSettings = { guild: {}, channels: {} };

/** Defaults then the server's values then the channel's. Pure. */
export function effectiveSettings(
  defaults: ChannelSettings,
  settings: GuildSettings | undefined,
  channelId: string | null,
): ChannelSettings {
  const channel = channelId ? settings?.channels[channelId] : undefined;
  return { ...defaults, ...settings?.guild, ...channel };
}

export type ParsedValue = { ok: true; value: unknown } | { ok: false; message: string };

/** Parses the text typed for a setting into its value, validated. Pure. */
export function parseSettingValue(key: SettingKey, raw: string): ParsedValue {
  const text = raw.trim();
  let value: unknown = text;
  if (key === 'mentionChannels') {
    value = /^(all|any|\*)$/i.test(text)
      ? null
      : text
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((s) => s.replace(/^<#(\d+)>$/, '$1'));
  } else if (key === 'collections') {
    value = /^(all|any|\*)$/i.test(text) ? null : text.split(/[\s,]+/).filter(Boolean);
  } else if (key === 'languages') {
    // `FR`, `en-GB` → `fr`, `en` as core keeps them; anything else stays as typed for the schema to refuse.
    value = /^(all|any|\*)$/i.test(text)
      ? null
      : text
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((tag) => normalizeLanguage(tag) ?? tag);
  } else if (key === 'privateByDefault' || key === 'answerInThread') {
    value = /^(true|yes|on|1)$/i.test(text) ? true : /^(false|no|off|0)$/i.test(text) ? false : text;
  } else if (key === 'sources' || key === 'cooldownSeconds') {
    value = /^\d+$/.test(text) ? Number(text) : text;
  }
  const parsed = SETTING_SPECS[key].schema.safeParse(value);
  if (!parsed.success)
    return {
      ok: false,
      message: `${key}: ${parsed.error.issues[0]?.message ?? 'invalid'} (${SETTING_SPECS[key].help}).`,
    };
  return { ok: true, value: parsed.data };
}
