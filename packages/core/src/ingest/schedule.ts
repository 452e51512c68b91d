import { newsragError } from '../errors.js';

/** `15m`, `1h`, `90s`, `2h30m` or a bare number of minutes, in milliseconds. */
export function parseInterval(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t)) return minutesOk(Number(t) * 60_000, text);
  const re = /(\d+(?:\.\d+)?)(h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of t.matchAll(re)) {
    total += Number(m[1]) * (m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1000);
    consumed += m[0].length;
  }
  if (consumed !== t.length || consumed === 0) {
    throw newsragError('BAD_OPTIONS', {
      subject: `--every ${text}`,
      problem: 'is not a duration',
      fix: 'use one like 15m, 1h or 90s',
    });
  }
  return minutesOk(total, text);
}

function minutesOk(ms: number, text: string): number {
  if (!(ms >= 10_000) || ms > 7 * 24 * 3_600_000) {
    throw newsragError('BAD_OPTIONS', {
      subject: `--every ${text}`,
      problem: 'is out of range: the interval must be between 10 s and 7 days',
    });
  }
  return Math.round(ms);
}

/**
 * Runs `task` now and then every `everyMs` (measured from the end of one run to the start of
 * the next, so runs never overlap) until `signal` aborts; resolves after the run in progress ends.
 * A run that throws is passed to `onError` and the schedule goes on.
 */
export async function every(
  everyMs: number,
  signal: AbortSignal,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
): Promise<void> {
  while (!signal.aborted) {
    try {
      await task();
    } catch (error) {
      onError(error);
    }
    if (signal.aborted) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, everyMs);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
