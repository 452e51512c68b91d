import type { Answer } from '@newsrag/core';
import { type Message, ThreadAutoArchiveDuration } from 'discord.js';
import type { BotContext } from './context.js';
import { threadName } from './threads.js';

/**
 * Opens a thread from an answer message and starts its conversation with that question, so
 * questions asked in the thread are answered as follow-ups. Returns the thread id, or null when
 * Discord refused (no permission, a channel without threads): the answer stands without one.
 */
export async function openAnswerThread(
  ctx: BotContext,
  message: Message,
  question: string,
  answer: Answer,
): Promise<string | null> {
  if (!message.inGuild() || message.channel.isThread() || !('threads' in message.channel)) return null;
  try {
    const thread = await message.startThread({
      name: threadName(question),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    });
    ctx.threads.record(thread.id, question, answer);
    return thread.id;
  } catch (error) {
    ctx.logger.warn(`could not open a thread from message ${message.id}`, error);
    return null;
  }
}

/** The thread a channel id names, when the channel is a thread the bot can see; else null. */
export function threadIdOf(channel: { id: string; isThread(): boolean } | null | undefined): string | null {
  return channel?.isThread() ? channel.id : null;
}
