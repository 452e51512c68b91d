/**
 * Worker thread that parses one feed document, so a large or hostile feed costs this
 * thread's time, never the caller's event loop. `{ document, base }` in, one message out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseFeedDocument } from './ingest/feed.js';

export interface FeedRequest {
  document: string;
  base: string;
}
export type FeedResponse = { ok: true; value: ReturnType<typeof parseFeedDocument> } | { ok: false; error: string };

const { document, base } = workerData as FeedRequest;
let response: FeedResponse;
try {
  response = { ok: true, value: parseFeedDocument(document, base) };
} catch (error) {
  response = { ok: false, error: error instanceof Error ? error.message : String(error) };
}
parentPort?.postMessage(response);
