import { buildReport, readFeedbackLog, readQuestionLog } from '@newsrag/core';
import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { renderReport } from '../render/report.js';
import { mayManageSettings } from './settings.js';

/**
 * `/report [days]` (the same admins as `/settings`, ephemeral): core's report over the question
 * log, limited to this server's public questions and the votes on their answers.
 */
export async function handleReport(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const guildId = interaction.guildId;
  if (!guildId || !mayManageSettings(interaction.user.id, guildId, interaction.memberPermissions, ctx.config)) {
    await interaction.reply({
      content: guildId
        ? 'Only members with the Manage Server permission (or the bot admins) can see the report.'
        : 'The report belongs to a server: use /report in one.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  const days = interaction.options.getInteger('days');
  await ctx.lane.acknowledge(() => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
  // Embedding the unanswered questions is CPU work: it queues in the answer lane.
  const { report, damaged } = await ctx.lane.run(async () => {
    const questions = await readQuestionLog(ctx.config.questionLog);
    const votes = await readFeedbackLog(ctx.config.feedbackLog);
    const titles = new Map(ctx.kb.articles().flatMap((a) => (a.meta.title ? [[a.id, a.meta.title] as const] : [])));
    const report = await buildReport(questions.entries, votes.entries, ctx.kb.embedder, {
      scope: guildId,
      titles,
      ...(days !== null ? { since: new Date(ctx.now() - days * 86_400_000) } : {}),
    });
    return { report, damaged: questions.damaged + votes.damaged };
  });
  await interaction.editReply({
    ...renderReport(report, { days, damagedLines: damaged }),
    allowedMentions: NO_MENTIONS,
  });
}
