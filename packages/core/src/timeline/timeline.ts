import type { Embedder } from '@newsrag/embed';
import { candidateSentences } from '../answer/candidates.js';
import { articleDateOf } from '../dates/reader-dates.js';
import { resolveTimeExpressions } from '../dates/resolve.js';
import { newsragError } from '../errors.js';
import { search } from '../retrieve/search.js';
import type { IndexReader } from '../store/contract.js';
import { coverage } from '../text/coverage.js';
import { buildTimeline, type DatedSentence } from './events.js';
import type { Timeline } from './types.js';

/** Passages searched for a topic: enough to reach every article of a story, bounded for speed. */
export const TIMELINE_PASSAGES = 30;

/**
 * The dated events about `topic` across the indexed articles (see {@link buildTimeline}):
 * the passages a hybrid search finds for the topic (no per-article cap), their sentences that
 * name at least one of the topic's terms and a time expression, resolved against each
 * article's date.
 *
 * @throws NewsragError `BAD_QUESTION` for an empty topic
 */
export async function timeline(
  reader: IndexReader,
  embedder: Embedder,
  topic: string,
  options: { passages?: number } = {},
): Promise<Timeline> {
  if (topic.trim() === '')
    throw newsragError('BAD_QUESTION', { subject: 'timeline topic', problem: 'is empty: name what to follow' });
  const found = await search(reader, embedder, topic, {
    k: options.passages ?? TIMELINE_PASSAGES,
    perArticleCap: 0,
  });
  const sentences: DatedSentence[] = [];
  for (const c of candidateSentences(found.passages, found.passages.length)) {
    // A passage about the topic also holds sentences about other things: keep the ones naming it.
    if (found.idf.size > 0 && coverage(found.idf, c.text) === 0) continue;
    const dates = resolveTimeExpressions(c.text, articleDateOf(found.reader, c.passage.articleId), c.start);
    if (dates.length > 0)
      sentences.push({ articleId: c.passage.articleId, start: c.start, end: c.end, text: c.text, dates });
  }
  return buildTimeline(topic.trim(), sentences);
}
