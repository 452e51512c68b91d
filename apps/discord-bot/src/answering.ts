import type { Answer, ConversationTurn, SearchFilter } from '@newsrag/core';
import type { BotContext } from './context.js';
import { type RenderedMessage, renderAnswer, shownChunkIds } from './render/answer-embed.js';

/** A rendered answer and the answer itself (for the thread's conversation). */
export interface AnsweredQuestion {
  rendered: RenderedMessage;
  answer: Answer;
}

/**
 * Starts embedding the query of a question that {@link answerQuestion} will answer, as soon as
 * it arrives: a crowd's queries then share a few large forward passes while their askers are
 * acknowledged and wait for the answer lane, instead of one small pass each as each job
 * starts (see `KnowledgeBase.primeQuery`). Never throws: priming is only a head start, and
 * the answer embeds the query itself if priming failed.
 */
export function primeAnswer(ctx: BotContext, question: string, conversation: readonly ConversationTurn[] = []): void {
  try {
    ctx.kb.primeQuery(question, conversation.length > 0 ? { conversation } : {});
  } catch (error) {
    ctx.logger.warn('could not start embedding the question ahead of its answer', error);
  }
}

/**
 * Answers a question through the knowledge base and renders it; remembers the answer
 * for its buttons. Shared by `/ask` and mentions. With `conversation` (the earlier turns of
 * the thread it is asked in), a follow-up is answered in their context and says which
 * question it took context from. `filter` limits what is searched (a channel's `collections` and `languages`).
 */
export async function answerQuestion(
  ctx: BotContext,
  question: string,
  sources: number,
  isPrivate = false,
  conversation: readonly ConversationTurn[] = [],
  filter?: SearchFilter,
): Promise<AnsweredQuestion> {
  const started = performance.now();
  const { answer, extraPassages } = await ctx.lane.run(async () => {
    const answer = await ctx.kb.answer(question, {
      k: Math.max(5, sources),
      ...(conversation.length > 0 ? { conversation } : {}),
      ...(filter ? { filter } : {}),
    });
    const query = answer.query ?? question;
    // The answer keeps only the passages it weighed; a wider search fills the sources asked for.
    const extraPassages =
      answer.passages.length < sources
        ? await ctx.kb.search(query, { k: sources, perArticleCap: 0, ...(filter ? { filter } : {}) })
        : [];
    return { answer, extraPassages };
  });
  const rendered = renderAnswer(answer, { sources, elapsedMs: performance.now() - started, extraPassages });
  ctx.answers.set(answer.id, {
    question,
    query: answer.query ?? question,
    shown: new Set(shownChunkIds(answer, sources, extraPassages)),
    private: isPrivate,
    ...(filter ? { filter } : {}),
  });
  return { rendered, answer };
}

/** {@link answerQuestion}, only the rendered message. */
export async function answerAndRender(
  ctx: BotContext,
  question: string,
  sources: number,
  isPrivate = false,
): Promise<RenderedMessage> {
  return (await answerQuestion(ctx, question, sources, isPrivate)).rendered;
}
