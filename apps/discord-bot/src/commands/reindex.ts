import { type IndexSummary, NewsragError } from '@newsrag/core';
import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { truncate } from '../render/limits.js';

/** Whether a user may reindex: Manage Server in this guild, or a configured admin id. Pure. */
export function mayReindex(
  userId: string,
  memberPermissions: { has(bit: bigint): boolean } | null,
  adminIds: readonly string[],
): boolean {
  return adminIds.includes(userId) || (memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false);
}

/** The report of a finished reindex. Pure. */
export function reindexReport(dir: string, s: IndexSummary): string {
  const lines = [
    `Reindexed \`${dir}\` in ${s.seconds.toFixed(1)} s: ${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged (${s.chunksEmbedded} passages embedded).`,
  ];
  if (s.issues.length > 0) {
    lines.push(`${s.issues.length} file${s.issues.length === 1 ? '' : 's'} could not be indexed:`);
    for (const issue of s.issues.slice(0, 10)) lines.push(`- ${issue.path}: ${issue.message}`);
    if (s.issues.length > 10) lines.push(`- and ${s.issues.length - 10} more`);
  }
  return truncate(lines.join('\n'), 2000);
}

/**
 * `/reindex`: incremental rebuild of the articles folder with pruning. Questions keep
 * being answered from the current index meanwhile (the knowledge base switches when done).
 */
export async function handleReindex(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  if (!mayReindex(interaction.user.id, interaction.memberPermissions, ctx.config.adminIds)) {
    await interaction.reply({
      content: 'Only members with the Manage Server permission (or the bot admins) can reindex.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  if (ctx.reindex.running) {
    await interaction.reply({
      content: 'A reindex is already running; please try again when it has finished.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  ctx.reindex.running = true;
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const dir = ctx.config.articlesDir;
    ctx.logger.info(`reindex of ${dir} started by ${interaction.user.id}`);
    let summary: IndexSummary;
    try {
      summary = await ctx.kb.index([dir], { prune: true });
    } catch (error) {
      // Core errors say what to fix (a missing folder, a locked index): the admin sees that message.
      if (error instanceof NewsragError) {
        ctx.logger.warn('reindex failed', error);
        await interaction.editReply({
          content: truncate(`Reindex failed (${error.code}): ${error.message}`, 2000),
          allowedMentions: NO_MENTIONS,
        });
        return;
      }
      throw error;
    }
    ctx.logger.info(`reindex done: ${summary.added} added, ${summary.updated} updated, ${summary.removed} removed`);
    await interaction.editReply({ content: reindexReport(dir, summary), allowedMentions: NO_MENTIONS });
  } finally {
    ctx.reindex.running = false;
  }
}
