/**
 * Worker thread that extracts HTML articles (depth check, jsdom, Readability), so a
 * hostile page costs this thread's time, never the caller's event loop. One request
 * at a time: `{ id, html }` in, `{ id, ok, value | error }` out.
 */
import { parentPort } from 'node:worker_threads';
import { extractHtml } from './articles/html.js';

export interface HtmlRequest {
  id: number;
  html: string;
}
export type HtmlResponse =
  | { id: number; ok: true; value: Awaited<ReturnType<typeof extractHtml>> }
  | { id: number; ok: false; error: string };

parentPort?.on('message', async ({ id, html }: HtmlRequest) => {
  let response: HtmlResponse;
  try {
    response = { id, ok: true, value: await extractHtml(html) };
  } catch (error) {
    // RangeError (stack overflow) and the depth refusal end up here alike.
    response = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(response);
});
