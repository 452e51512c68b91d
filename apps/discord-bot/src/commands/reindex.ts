import { type IndexProgress, type IndexSummary, NewsragError } from '@newsrag/core';
import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { BotConfig } from '../config.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { truncate } from '../render/limits.js';
import { plain } from '../render/text.js';

/** How often a running reindex posts its progress to the channel. */
export const PROGRESS_EVERY_MS = 60_000;
/** Interaction tokens live 15 minutes: past this the report goes to the channel only. */
const TOKEN_LIFETIME_MS = 14 * 60_000;

/**
 * Whether a user may reindex. The index is shared by every guild the bot is in, so
 * Manage Server counts only in the configured home guild; configured admin ids may
 * reindex from anywhere (a DM included). Pure.
 */
export function mayReindex(
  userId: string,
  guildId: string | null,
  memberPermissions: { has(bit: bigint): boolean } | null,
  config: Pick<BotConfig, 'adminIds' | 'homeGuildId'>,
): boolean {
  if (config.adminIds.includes(userId)) return true;
  if (config.homeGuildId === null || guildId !== config.homeGuildId) return false;
  return memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

/** The report of a finished reindex; every path and message from disk is escaped. Pure. */
export function reindexReport(dir: string, s: IndexSummary): string {
  const lines = [
    `Reindexed ${plain(dir, 300)} in ${s.seconds.toFixed(1)} s: ${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged (${s.chunksEmbedded} passages embedded).`,
  ];
  for (const folder of s.unreadableFolders ?? []) {
    lines.push(
      `⚠️ ${plain(folder, 300)} could not be read (missing, unmounted or not permitted): nothing under it was removed. Fix it and run /reindex again.`,
    );
  }
  if (s.issues.length > 0) {
    lines.push(`${s.issues.length} file${s.issues.length === 1 ? '' : 's'} could not be indexed:`);
    for (const issue of s.issues.slice(0, 10)) lines.push(`- ${plain(issue.path, 200)}: ${plain(issue.message, 300)}`);
    if (s.issues.length > 10) lines.push(`- and ${s.issues.length - 10} more`);
  }
  return truncate(lines.join('\n'), 2000);
}

function progressLine(p: IndexProgress): string {
  const what = { read: 'reading articles', chunk: 'splitting passages', embed: 'embedding passages', write: 'writing' };
  return `Reindex still running: ${what[p.phase]} (${p.done}/${p.total}).`;
}

function refuse(interaction: ChatInputCommandInteraction, content: string): Promise<unknown> {
  return interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

/**
 * `/reindex`: incremental rebuild of the articles folder with pruning, for admins (see
 * {@link mayReindex}), one at a time and at most one start every
 * `reindexCooldownSeconds`. Questions keep being answered from the current index
 * meanwhile. The start, progress (every minute) and the report are posted in the
 * channel, so a run longer than the interaction token's 15 minutes is still reported;
 * the ephemeral reply gets the report too while its token lives.
 */
export async function handleReindex(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  if (!mayReindex(interaction.user.id, interaction.guildId, interaction.memberPermissions, ctx.config)) {
    await refuse(
      interaction,
      ctx.config.homeGuildId === null
        ? 'Only the bot admins can reindex.'
        : 'Only the bot admins, or members with the Manage Server permission in the bot’s home server, can reindex.',
    );
    return;
  }
  if (ctx.reindex.running) {
    await refuse(interaction, 'A reindex is already running; please try again when it has finished.');
    return;
  }
  const now = ctx.now();
  const last = ctx.reindex.lastStartedAt;
  const waitMs = last === null ? 0 : last + ctx.config.reindexCooldownSeconds * 1000 - now;
  if (waitMs > 0) {
    await refuse(interaction, `A reindex ran recently; please wait ${Math.ceil(waitMs / 1000)} more seconds.`);
    return;
  }
  ctx.reindex.running = true;
  ctx.reindex.lastStartedAt = now;
  const startedAt = performance.now();
  let progressTimer: NodeJS.Timeout | undefined;
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const dir = ctx.config.articlesDir;
    ctx.logger.info(`reindex of ${dir} started by ${interaction.user.id}`);
    const post = channelPoster(ctx, interaction);
    await post(`Reindex of ${plain(dir, 300)} started; progress and the report will be posted here.`);
    let latest: IndexProgress | null = null;
    progressTimer = setInterval(() => {
      if (latest) void post(progressLine(latest));
    }, PROGRESS_EVERY_MS);
    progressTimer.unref();
    let content: string;
    try {
      const summary = await ctx.kb.index([dir], {
        prune: true,
        onProgress: (p) => {
          latest = p;
        },
      });
      ctx.logger.info(
        `reindex done: ${summary.added} added, ${summary.updated} updated, ${summary.removed} removed` +
          (summary.unreadableFolders.length > 0 ? `; unreadable: ${summary.unreadableFolders.join(', ')}` : ''),
      );
      content = reindexReport(dir, summary);
    } catch (error) {
      // Core errors say what to fix (a missing folder, a locked index): the admin sees that message.
      if (!(error instanceof NewsragError)) throw error;
      ctx.logger.warn('reindex failed', error);
      content = truncate(`Reindex failed (${error.code}): ${plain(error.message, 1900)}`, 2000);
    }
    clearInterval(progressTimer);
    await post(content);
    if (performance.now() - startedAt < TOKEN_LIFETIME_MS) {
      await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
    }
  } finally {
    clearInterval(progressTimer);
    ctx.reindex.running = false;
  }
}

/** Posts to the interaction's channel; a channel the bot cannot post in is logged, not fatal. */
function channelPoster(ctx: BotContext, interaction: ChatInputCommandInteraction): (content: string) => Promise<void> {
  return async (content) => {
    try {
      const channel = interaction.channel ?? (await interaction.client.channels.fetch(interaction.channelId));
      if (!channel?.isSendable()) throw new Error(`channel ${interaction.channelId} is not one the bot can post in`);
      await channel.send({ content: truncate(content, 2000), allowedMentions: NO_MENTIONS });
    } catch (error) {
      ctx.logger.warn('could not post the reindex progress to the channel', error);
    }
  };
}
