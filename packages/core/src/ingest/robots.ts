import { createRequire } from 'node:module';
import { NewsragError, newsragError } from '../errors.js';
import { redactUrl } from './address-policy.js';
import { type HttpResponse, httpStatusOf } from './http-fetch.js';

interface Robot {
  isDisallowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS exporting the function itself; its typings declare a default
// export that NodeNext resolution cannot call, so it is loaded with require and typed here.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, text: string) => Robot;

/** The User-Agent product token robots.txt groups are matched against. */
export const ROBOTS_AGENT = 'newsrag';

/** Largest robots.txt read (RFC 9309 asks crawlers to read at least 500 KiB). */
export const ROBOTS_MAX_BYTES = 512 * 1024;

/**
 * robots.txt, fetched once per origin per run and read with `robots-parser`. Per RFC 9309:
 * a 4xx robots.txt (none) allows everything; an unreachable one (5xx, network error)
 * disallows everything for now.
 */
export class RobotsCache {
  private readonly byOrigin = new Map<string, Promise<Robot | 'allow-all' | 'unreachable'>>();

  constructor(private readonly get: (url: string) => Promise<HttpResponse>) {}

  /** Throws `FETCH_BLOCKED` when robots.txt disallows `url` for newsrag. */
  async check(url: string): Promise<{ crawlDelayMs: number }> {
    const origin = new URL(url).origin;
    let entry = this.byOrigin.get(origin);
    if (!entry) {
      entry = this.load(origin);
      this.byOrigin.set(origin, entry);
    }
    const robot = await entry;
    if (robot === 'allow-all') return { crawlDelayMs: 0 };
    if (robot === 'unreachable') {
      throw newsragError('FETCH_BLOCKED', {
        url: redactUrl(url),
        reason: `${origin}/robots.txt could not be read, so nothing on the site is fetched this time`,
      });
    }
    if (robot.isDisallowed(url, ROBOTS_AGENT)) {
      throw newsragError('FETCH_BLOCKED', {
        url: redactUrl(url),
        reason: `disallowed for ${ROBOTS_AGENT} by ${origin}/robots.txt`,
      });
    }
    return { crawlDelayMs: Math.min(60, robot.getCrawlDelay(ROBOTS_AGENT) ?? 0) * 1000 };
  }

  private async load(origin: string): Promise<Robot | 'allow-all' | 'unreachable'> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const response = await this.get(robotsUrl);
      return robotsParser(robotsUrl, response.body.toString('utf8'));
    } catch (error) {
      const status = httpStatusOf(error);
      if (status !== undefined && status >= 400 && status < 500) return 'allow-all';
      if (error instanceof NewsragError && error.code === 'FETCH_BLOCKED') throw error;
      return 'unreachable';
    }
  }
}
