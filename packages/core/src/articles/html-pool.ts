import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { HtmlRequest, HtmlResponse } from '../html-worker.js';
import { startWorker } from '../workers.js';
import type { ExtractedHtml } from './html.js';

/** How long one page may take to extract before it is given up (ms). */
export const DEFAULT_HTML_TIMEOUT_MS = 15_000;

/** A page that took longer than the limit; its worker was stopped. */
export class HtmlTimeoutError extends Error {
  override readonly name = 'HtmlTimeoutError';
}

interface Job {
  html: string;
  timeoutMs: number;
  resolve: (value: ExtractedHtml) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

/**
 * Runs HTML extraction in worker threads with a time limit per page: the caller's
 * event loop never parses HTML, and a page that would take minutes (or overflow
 * jsdom's stack) costs at most `timeoutMs` and one restarted worker. Workers are
 * started on demand, unref'd (they never keep the process alive) and stopped after
 * a few idle seconds.
 */
class HtmlPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly size: number) {}

  extract(html: string, timeoutMs: number): Promise<ExtractedHtml> {
    return new Promise((resolve, reject) => {
      this.queue.push({ html, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = { worker: startWorker('html-worker'), busy: false };
        slot.worker.unref();
        this.slots.push(slot);
      }
      this.run(slot, this.queue.shift() as Job);
    }
    this.scheduleIdleStop();
  }

  private run(slot: Slot, job: Job): void {
    slot.busy = true;
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    const { worker } = slot;
    let settled = false;
    const finish = (outcome: () => void, keepWorker: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (!keepWorker) this.drop(slot);
      else slot.busy = false;
      outcome();
      this.pump();
    };
    const onMessage = (response: HtmlResponse) => {
      if (response.id !== id) return;
      finish(() => (response.ok ? job.resolve(response.value) : job.reject(new Error(response.error))), true);
    };
    const onError = (error: Error) => finish(() => job.reject(error), false);
    const onExit = (code: number) =>
      finish(() => job.reject(new Error(`the HTML worker stopped unexpectedly (exit code ${code})`)), false);
    const timer = setTimeout(() => {
      finish(
        () => job.reject(new HtmlTimeoutError(`extracting it took longer than ${job.timeoutMs / 1000} s; given up`)),
        false,
      );
    }, job.timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const request: HtmlRequest = { id, html: job.html };
    worker.postMessage(request);
  }

  private drop(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at !== -1) this.slots.splice(at, 1);
    void slot.worker.terminate();
  }

  private scheduleIdleStop(): void {
    if (this.slots.some((s) => s.busy)) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      for (const slot of [...this.slots]) if (!slot.busy) this.drop(slot);
    }, 5_000);
    this.idleTimer.unref();
  }
}

let pool: HtmlPool | undefined;

/** Extracts an HTML page in a worker thread, giving up after `timeoutMs`. */
export function extractHtmlInWorker(html: string, timeoutMs: number = DEFAULT_HTML_TIMEOUT_MS): Promise<ExtractedHtml> {
  pool ??= new HtmlPool(Math.max(1, Math.min(2, availableParallelism() - 1)));
  return pool.extract(html, timeoutMs);
}
