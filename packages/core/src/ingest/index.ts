export { allowList, checkUrl, redactUrl, refusedRange } from './address-policy.js';
export { type FeedFormat, type FeedItem, type ParsedFeed, parseFeedDocument } from './feed.js';
export { addFeed, parseFeedsText, readFeeds, removeFeed, validFeedUrl } from './feeds-file.js';
export { type IngestDuplicate, type IngestOptions, type IngestProblem, type IngestSummary, ingest } from './ingest.js';
export { every, parseInterval } from './schedule.js';
export { userAgent } from './user-agent.js';
