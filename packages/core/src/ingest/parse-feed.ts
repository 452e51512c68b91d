import type { FeedRequest, FeedResponse } from '../feed-worker.js';
import { startWorker } from '../workers.js';
import type { ParsedFeed } from './feed.js';

/** Parses a feed in a worker thread, giving up (and stopping the thread) after `timeoutMs`. */
export function parseFeedInWorker(document: string, base: string, timeoutMs: number): Promise<ParsedFeed> {
  const request: FeedRequest = { document, base };
  const worker = startWorker('feed-worker', request);
  return new Promise<ParsedFeed>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`parsing took longer than ${timeoutMs / 1000} s; given up`));
      void worker.terminate();
    }, timeoutMs);
    worker.once('message', (response: FeedResponse) => {
      clearTimeout(timer);
      if (response.ok) resolve(response.value);
      else reject(new Error(response.error));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the feed worker stopped unexpectedly (exit code ${code})`));
    });
  });
}
