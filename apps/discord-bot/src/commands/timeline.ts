import type { ChatInputCommandInteraction } from 'discord.js';
import { MessageFlags } from 'discord.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { cooldownMessage } from '../cooldown.js';
import { checkQuestion } from '../question.js';
import { renderTimeline } from '../render/timeline.js';

/** `/timeline topic`: defer at once (a search and many sentences), then edit in the dated events. */
export async function handleTimeline(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  // A topic is checked like a question: not empty, not too long, no invisible characters.
  const check = checkQuestion(interaction.options.getString('topic'));
  if (!check.ok) {
    await interaction.reply({ content: check.message, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  const turn = ctx.cooldown.take(interaction.user.id);
  if (!turn.ok) {
    await interaction.reply({
      content: cooldownMessage(turn.retryAfterMs),
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  await ctx.lane.acknowledge(() => interaction.deferReply());
  const timeline = await ctx.kb.timeline(check.question);
  await interaction.editReply({ ...renderTimeline(timeline), allowedMentions: NO_MENTIONS });
}
