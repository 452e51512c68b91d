import { ChannelType, type Message } from 'discord.js';
import { answerQuestion, primeAnswer } from '../answering.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { cooldownMessage } from '../cooldown.js';
import { checkQuestion, questionFromMention } from '../question.js';
import { logQuestion } from '../question-log.js';
import { searchFilterOf, settingsChannelOf, settingsFor } from '../settings/effective.js';
import { openAnswerThread, threadIdOf } from '../thread-reply.js';

/** Discord shows "typing…" for 10 s; renew it while an answer takes longer. */
const TYPING_RENEW_MS = 8000;

/** Whether a message is a question for the bot: a DM, or a mention in an allowed channel. Pure. */
export function isQuestionForBot(
  message: { authorIsBot: boolean; isDm: boolean; channelId: string; mentionsBot: boolean },
  allowedChannels: readonly string[] | null,
): boolean {
  if (message.authorIsBot) return false;
  if (message.isDm) return true;
  if (!message.mentionsBot) return false;
  return allowedChannels === null || allowedChannels.includes(message.channelId);
}

/**
 * `@bot question` in a channel, or any DM: reply with the rendered answer, typing meanwhile.
 * In a thread, the thread's conversation is the context and the question joins it.
 */
export async function handleMention(ctx: BotContext, message: Message): Promise<void> {
  const botId = message.client.user.id;
  const isDm = message.channel.type === ChannelType.DM || message.guildId === null;
  const settings = settingsFor(ctx, message.guildId, settingsChannelOf(message.channel, message.channelId));
  const forBot = isQuestionForBot(
    {
      authorIsBot: message.author.bot,
      isDm,
      // In a thread, the channel it belongs to decides.
      channelId: message.channel.isThread() ? (message.channel.parentId ?? message.channelId) : message.channelId,
      mentionsBot: message.mentions.users.has(botId) && new RegExp(`<@!?${botId}>`).test(message.content),
    },
    settings.mentionChannels,
  );
  if (!forBot) return;
  const check = checkQuestion(questionFromMention(message.content, botId));
  if (!check.ok) {
    await message.reply({ content: check.message, allowedMentions: NO_MENTIONS });
    return;
  }
  const turn = ctx.cooldown.take(message.author.id, settings.cooldownSeconds);
  if (!turn.ok) {
    await message.reply({ content: cooldownMessage(turn.retryAfterMs), allowedMentions: NO_MENTIONS });
    return;
  }
  const threadId = threadIdOf(message.channel);
  primeAnswer(ctx, check.question, threadId ? ctx.threads.turns(threadId) : []);
  const channel = message.channel;
  const typing = () => {
    if ('sendTyping' in channel)
      channel.sendTyping().catch((error: unknown) => ctx.logger.warn('sendTyping failed', error));
  };
  typing();
  const renew = setInterval(typing, TYPING_RENEW_MS);
  try {
    const conversation = threadId ? ctx.threads.turns(threadId) : [];
    const { rendered, answer } = await answerQuestion(
      ctx,
      check.question,
      settings.sources,
      false,
      conversation,
      searchFilterOf(settings),
    );
    const reply = await message.reply({ ...rendered, allowedMentions: NO_MENTIONS });
    // A DM is seen by its asker alone: it stays out of the question log, like a private answer.
    if (!isDm && message.guildId) await logQuestion(ctx, message.guildId, check.question, answer);
    if (threadId) ctx.threads.record(threadId, check.question, answer);
    else if (settings.answerInThread && !isDm) await openAnswerThread(ctx, reply, check.question, answer);
  } finally {
    clearInterval(renew);
  }
}
