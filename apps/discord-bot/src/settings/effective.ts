import type { SearchFilter } from '@newsrag/core';
import type { BotContext } from '../context.js';
import { DEFAULT_SOURCES } from '../context.js';
import { type ChannelSettings, effectiveSettings } from './schema.js';

/**
 * The settings in force in a channel of a server: the bot's configuration, then what the server
 * set, then what it set for that channel (a thread counts as its parent channel). DMs: defaults.
 */
export function settingsFor(ctx: BotContext, guildId: string | null, channelId: string | null): ChannelSettings {
  const defaults: ChannelSettings = {
    mentionChannels: ctx.config.allowedChannels,
    privateByDefault: false,
    answerInThread: false,
    sources: DEFAULT_SOURCES,
    cooldownSeconds: ctx.config.cooldownSeconds,
    collections: null,
    languages: null,
  };
  if (!guildId || !ctx.settings) return defaults;
  return effectiveSettings(defaults, ctx.settings.get(guildId), channelId);
}

/** What a channel's settings limit its searches to (collections, languages), or undefined for everything. Pure. */
export function searchFilterOf(settings: Pick<ChannelSettings, 'collections' | 'languages'>): SearchFilter | undefined {
  if (!settings.collections && !settings.languages) return undefined;
  return {
    ...(settings.collections ? { collections: settings.collections } : {}),
    ...(settings.languages ? { languages: settings.languages } : {}),
  };
}

/** The channel whose settings apply: a thread's parent, else the channel itself. */
export function settingsChannelOf(
  channel: { id: string; isThread(): boolean; parentId?: string | null } | null | undefined,
  fallback: string | null,
): string | null {
  if (!channel) return fallback;
  return channel.isThread() ? (channel.parentId ?? channel.id) : channel.id;
}
