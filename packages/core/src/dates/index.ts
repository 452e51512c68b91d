/** Time expressions in article text, resolved against the article's publication date. */

export { articleReferenceDate } from './article-date.js';
export { isoAt, parseDay } from './calendar.js';
export { helpfulDates, humanDate } from './human.js';
export { resolveTimeExpressions } from './resolve.js';
export type { DatePrecision, Day, TimeExpression } from './types.js';
