/** Timelines: the dated events about a topic across articles. */
export { buildTimeline, type DatedSentence } from './events.js';
export { TIMELINE_PASSAGES, timeline } from './timeline.js';
export type { Timeline, TimelineCitation, TimelineEvent, UndatedEvent } from './types.js';
