import type { DatePrecision } from '../dates/types.js';

/** Where a timeline entry's sentence is in its article. */
export interface TimelineCitation {
  articleId: string;
  start: number;
  end: number;
}

/** One dated event: every article reporting it, cited together. */
export interface TimelineEvent {
  /** ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  date: string;
  precision: DatePrecision;
  /** The quoted sentence of the best-ranked article reporting it, verbatim. */
  text: string;
  citations: TimelineCitation[];
}

/** A sentence about the topic whose time expressions cannot be dated (its article has no date). */
export interface UndatedEvent {
  /** The time expressions as written ("on Sunday"). */
  expressions: string[];
  text: string;
  citations: TimelineCitation[];
}

/** `newsrag timeline --json`. */
export interface Timeline {
  topic: string;
  /** Oldest first; a year sorts before the months and days within it. */
  events: TimelineEvent[];
  undated: UndatedEvent[];
}
