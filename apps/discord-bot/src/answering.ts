import type { BotContext } from './context.js';
import { type RenderedMessage, renderAnswer, shownChunkIds } from './render/answer-embed.js';

/**
 * Answers a question through the knowledge base and renders it; remembers the answer
 * for its buttons. Shared by `/ask` and mentions.
 */
export async function answerAndRender(
  ctx: BotContext,
  question: string,
  sources: number,
  isPrivate = false,
): Promise<RenderedMessage> {
  const started = performance.now();
  const { answer, extraPassages } = await ctx.lane.run(async () => {
    const answer = await ctx.kb.answer(question, { k: Math.max(5, sources) });
    // The answer keeps only the passages it weighed; a wider search fills the sources asked for.
    const extraPassages =
      answer.passages.length < sources ? await ctx.kb.search(question, { k: sources, perArticleCap: 0 }) : [];
    return { answer, extraPassages };
  });
  const rendered = renderAnswer(answer, { sources, elapsedMs: performance.now() - started, extraPassages });
  ctx.answers.set(answer.id, {
    question,
    shown: new Set(shownChunkIds(answer, sources, extraPassages)),
    private: isPrivate,
  });
  return rendered;
}
