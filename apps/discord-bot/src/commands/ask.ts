import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { answerAndRender } from '../answering.js';
import { type BotContext, DEFAULT_SOURCES, NO_MENTIONS } from '../context.js';
import { cooldownMessage } from '../cooldown.js';
import { checkQuestion } from '../question.js';

/** `/ask question [sources] [private]`: defer at once, then edit in the rendered answer. */
export async function handleAsk(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const check = checkQuestion(interaction.options.getString('question'));
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
  const isPrivate = interaction.options.getBoolean('private') ?? false;
  const sources = Math.min(10, Math.max(1, interaction.options.getInteger('sources') ?? DEFAULT_SOURCES));
  // Through the lane: answering waits while acknowledgements are in flight (3-second deadline).
  await ctx.lane.acknowledge(() => interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {}));
  const rendered = await answerAndRender(ctx, check.question, sources, isPrivate);
  await interaction.editReply({ ...rendered, allowedMentions: NO_MENTIONS });
}
