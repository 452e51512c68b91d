import { type KnowledgeBase, openKnowledgeBase } from '@newsrag/core';
import type { BotConfig } from './config.js';

/**
 * Opens the bot's knowledge base as the bot runs it: indexing and the model's forward
 * passes both in worker threads, so a `/reindex` or a burst of questions never stops the
 * event loop from heartbeating and acknowledging interactions (onnxruntime-node computes
 * synchronously on the thread that calls it).
 */
export function openBotKnowledgeBase(
  config: Pick<BotConfig, 'index' | 'model' | 'dtype' | 'engine'>,
  options: { modelDir?: string | undefined; onNotice?: (line: string) => void } = {},
): Promise<KnowledgeBase> {
  return openKnowledgeBase({
    indexDir: config.index,
    model: config.model,
    dtype: config.dtype,
    engine: config.engine,
    indexInWorker: true,
    embedInWorker: true,
    ...(options.modelDir !== undefined ? { modelDir: options.modelDir } : {}),
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
  });
}
