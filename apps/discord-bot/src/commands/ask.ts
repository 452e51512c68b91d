import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { answerQuestion, primeAnswer } from '../answering.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { cooldownMessage } from '../cooldown.js';
import { checkQuestion } from '../question.js';
import { logQuestion } from '../question-log.js';
import { searchFilterOf, settingsChannelOf, settingsFor } from '../settings/effective.js';
import { openAnswerThread, threadIdOf } from '../thread-reply.js';

/**
 * `/ask question [sources] [private] [thread]`: defer at once, then edit in the rendered answer.
 * Asked in a thread, the thread's conversation is the context; with `thread` (public answers in
 * a server) the answer opens a thread for follow-ups.
 */
export async function handleAsk(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const check = checkQuestion(interaction.options.getString('question'));
  if (!check.ok) {
    await interaction.reply({ content: check.message, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  const settings = settingsFor(ctx, interaction.guildId, settingsChannelOf(interaction.channel, interaction.channelId));
  const turn = ctx.cooldown.take(interaction.user.id, settings.cooldownSeconds);
  if (!turn.ok) {
    await interaction.reply({
      content: cooldownMessage(turn.retryAfterMs),
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  const isPrivate = interaction.options.getBoolean('private') ?? settings.privateByDefault;
  const sources = Math.min(10, Math.max(1, interaction.options.getInteger('sources') ?? settings.sources));
  const wantsThread = interaction.options.getBoolean('thread') ?? settings.answerInThread;
  const threadId = threadIdOf(interaction.channel);
  // The query's embedding starts now, beside the acknowledgement and the wait for the lane.
  primeAnswer(ctx, check.question, threadId ? ctx.threads.turns(threadId) : []);
  // Through the lane: answering waits while acknowledgements are in flight (3-second deadline).
  await ctx.lane.acknowledge(() => interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {}));
  const conversation = threadId ? ctx.threads.turns(threadId) : [];
  const { rendered, answer } = await answerQuestion(
    ctx,
    check.question,
    sources,
    isPrivate,
    conversation,
    searchFilterOf(settings),
  );
  const message = await interaction.editReply({ ...rendered, allowedMentions: NO_MENTIONS });
  // A private question never enters a conversation others see the context of.
  if (isPrivate) return;
  if (interaction.guildId) await logQuestion(ctx, interaction.guildId, check.question, answer);
  if (threadId) ctx.threads.record(threadId, check.question, answer);
  else if (wantsThread) await openAnswerThread(ctx, message, check.question, answer);
}
