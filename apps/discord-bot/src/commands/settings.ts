import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import type { BotConfig } from '../config.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { booleanChoices, type Choice, listChoices } from '../render/choices.js';
import { fitMessage } from '../render/limits.js';
import { plain } from '../render/text.js';
import { settingsFor } from '../settings/effective.js';
import { parseSettingValue, SETTING_KEYS, SETTING_SPECS, type SettingKey } from '../settings/schema.js';

/**
 * Who may change a server's settings: the configured admin ids, or members with Manage Server
 * in *that* server (checked per server: one server's admins have no say over another's). Pure.
 */
export function mayManageSettings(
  userId: string,
  guildId: string | null,
  memberPermissions: { has(bit: bigint): boolean } | null,
  config: Pick<BotConfig, 'adminIds'>,
): boolean {
  if (guildId === null) return false;
  if (config.adminIds.includes(userId)) return true;
  return memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

async function ephemeral(interaction: ChatInputCommandInteraction, content: string): Promise<void> {
  await interaction.reply({ ...fitMessage({ content }), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

function show(value: unknown, key: SettingKey | null = null): string {
  if (key === 'collections')
    return value === null ? 'all articles' : (value as string[]).map((c) => `\`${c}\``).join(', ');
  if (key === 'languages')
    return value === null
      ? 'all languages'
      : `${(value as string[]).map((c) => `\`${c}\``).join(', ')} (and articles that state none)`;
  if (value === null) return 'all channels';
  if (Array.isArray(value)) return value.map((id) => `<#${id}>`).join(', ') || 'none';
  return String(value);
}

/** `/settings view|set|reset` (admins only, ephemeral). */
export async function handleSettings(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const guildId = interaction.guildId;
  if (!guildId || !ctx.settings) {
    await ephemeral(interaction, 'Settings belong to a server: use /settings in one.');
    return;
  }
  if (!mayManageSettings(interaction.user.id, guildId, interaction.memberPermissions, ctx.config)) {
    await ephemeral(
      interaction,
      'Only members with the Manage Server permission (or the bot admins) can change settings.',
    );
    return;
  }
  const sub = interaction.options.getSubcommand();
  const channelId = interaction.options.getChannel('channel')?.id ?? null;
  const key = interaction.options.getString('key') as SettingKey | null;
  if (key !== null && !SETTING_KEYS.includes(key)) {
    await ephemeral(interaction, `Unknown setting \`${plain(key, 50)}\`. Settings: ${SETTING_KEYS.join(', ')}.`);
    return;
  }
  if (sub === 'view') {
    const s = settingsFor(ctx, guildId, channelId);
    const own = ctx.settings.get(guildId);
    const lines = SETTING_KEYS.map((k) => {
      const setHere = channelId ? own.channels[channelId]?.[k as keyof (typeof own.channels)[string]] : own.guild[k];
      return `**${k}**: ${show(s[k], k)}${setHere === undefined ? ' (default)' : ''} — ${SETTING_SPECS[k].help}`;
    });
    await ephemeral(
      interaction,
      [`Settings${channelId ? ` in <#${channelId}>` : ' of this server'}:`, ...lines].join('\n'),
    );
    return;
  }
  if (sub === 'set') {
    if (key === null) return ephemeral(interaction, 'Say which setting to change.');
    if (channelId && !SETTING_SPECS[key].perChannel) {
      return ephemeral(interaction, `\`${key}\` is a server setting: leave out the channel.`);
    }
    const parsed = parseSettingValue(key, interaction.options.getString('value') ?? '');
    if (!parsed.ok) return ephemeral(interaction, plain(parsed.message, 500));
    await ctx.settings.set(guildId, interaction.user.id, key, parsed.value, channelId);
    ctx.logger.info(`settings: ${key} set in guild ${guildId}${channelId ? ` channel ${channelId}` : ''}`);
    await ephemeral(
      interaction,
      `**${key}** is now ${show(parsed.value, key)}${channelId ? ` in <#${channelId}>` : ''}.`,
    );
    return;
  }
  await ctx.settings.reset(guildId, interaction.user.id, key, channelId);
  await ephemeral(
    interaction,
    `${key ? `**${key}**` : 'Every setting'} reset to the default${channelId ? ` in <#${channelId}>` : ''}.`,
  );
}

/**
 * Suggestions for `/settings set value:`: the knowledge base's collections or languages (with
 * article counts; the last comma-separated item is completed), yes/no for switches, nothing
 * for numbers and channels. Only for those who may change settings: the others could not use them.
 */
export function settingsValueChoices(ctx: BotContext, key: string | null, typed: string): Choice[] {
  if (key === 'collections') return listChoices(ctx.kb.collections(), typed);
  if (key === 'languages') return listChoices(ctx.kb.languages(), typed);
  if (key === 'privateByDefault' || key === 'answerInThread') return booleanChoices(typed);
  return [];
}

/** Autocomplete of `/settings set value:` (see {@link settingsValueChoices}). */
export async function handleSettingsAutocomplete(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const allowed = mayManageSettings(
    interaction.user.id,
    interaction.guildId,
    interaction.memberPermissions,
    ctx.config,
  );
  const choices =
    allowed && focused.name === 'value'
      ? settingsValueChoices(ctx, interaction.options.getString('key'), String(focused.value))
      : [];
  await interaction.respond(choices);
}
