/**
 * Discord's REST rate limits as the stand-in enforces them
 * (https://discord.com/developers/docs/topics/rate-limits):
 *
 * - per-route buckets, keyed by the route and its top-level resource (channel, guild, or
 *   webhook id + token), reported on every response in `X-RateLimit-Limit / -Remaining /
 *   -Reset / -Reset-After / -Bucket`;
 * - the global limit, 50 requests per second, for bot-authenticated requests;
 * - interaction endpoints (the callback, and the webhook routes of the interaction token)
 *   are not bound by the global limit but have their own buckets;
 * - a refused request gets 429 with a JSON body `{ message, retry_after, global }` and the
 *   `Retry-After`, `X-RateLimit-Scope` (and, for the global limit, `X-RateLimit-Global`) headers.
 *
 * Windows are fixed: they open at the first request and close `windowMs` later, which is
 * how Discord's headers describe them (a reset time, not a sliding window).
 */
import { createHash } from 'node:crypto';

/** At most `limit` requests per `windowMs`. */
export interface BucketRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitRules {
  /** Bot-authenticated requests, all routes together (Discord: 50 per second). */
  global: BucketRule;
  /** `POST /interactions/:id/:token/callback`, per interaction. */
  interactionCallback: BucketRule;
  /**
   * `/webhooks/:application/:token/…` (edit the original response, follow-ups), per
   * interaction token; observed as 5 per 2 s (discord/discord-api-docs#2701).
   */
  interactionWebhook: BucketRule;
  /** `POST /channels/:id/messages`, per channel (commonly 5 per 5 s). */
  channelMessages: BucketRule;
  /** Every other route, per route and top-level resource. */
  other: BucketRule;
}

/** The limits Discord applies to a bot (the numbers Discord documents or reports in its headers). */
export const DISCORD_RATE_LIMITS: RateLimitRules = {
  global: { limit: 50, windowMs: 1000 },
  interactionCallback: { limit: 5, windowMs: 1000 },
  interactionWebhook: { limit: 5, windowMs: 2000 },
  channelMessages: { limit: 5, windowMs: 5000 },
  other: { limit: 10, windowMs: 1000 },
};

/** Which bucket a request falls in. */
export interface RouteBucket {
  /** Route template without ids, e.g. `POST /channels/:id/messages`. */
  route: string;
  /** The top-level resource the bucket is kept per (channel id, guild id, webhook id + token…). */
  major: string;
  rule: BucketRule;
  /** Interaction endpoints are not bound by the global limit. */
  exemptFromGlobal: boolean;
}

/** Classifies a request by Discord's bucketing rules. Pure. */
export function bucketFor(method: string, path: string, rules: RateLimitRules): RouteBucket {
  const callback = /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(path);
  if (callback) {
    return {
      route: `${method} /interactions/:id/:token/callback`,
      major: callback[1] ?? '',
      rule: rules.interactionCallback,
      exemptFromGlobal: true,
    };
  }
  const webhook = /^\/webhooks\/(\d+)\/([^/]+)/.exec(path);
  if (webhook) {
    return {
      route: `${method} ${path.replace(/^\/webhooks\/\d+\/[^/]+/, '/webhooks/:id/:token').replace(/\d{17,20}/g, ':id')}`,
      // Interaction tokens are keyed per token: every interaction has its own bucket.
      major: `${webhook[1]}/${webhook[2]}`,
      rule: rules.interactionWebhook,
      exemptFromGlobal: true,
    };
  }
  const top = /^\/(channels|guilds)\/(\d+)/.exec(path);
  const template = `${method} ${path.replace(/\d{17,20}/g, ':id')}`;
  const isChannelMessage = method === 'POST' && /^\/channels\/\d+\/messages$/.test(path);
  return {
    route: template,
    major: top ? `${top[1]}/${top[2]}` : 'global',
    rule: isChannelMessage ? rules.channelMessages : rules.other,
    exemptFromGlobal: false,
  };
}

/** Discord's opaque bucket id: the same for every request of one route. */
function bucketHash(route: string): string {
  return createHash('sha1').update(route).digest('hex').slice(0, 16);
}

/** A 429 the stand-in sent: which limit, and what it told the client. */
export interface RateLimitHit {
  scope: 'global' | 'user';
  route: string;
  major: string;
  retryAfterSeconds: number;
}

export type RateLimitDecision =
  | { allowed: true; headers: Record<string, string> }
  | {
      allowed: false;
      headers: Record<string, string>;
      body: { message: string; retry_after: number; global: boolean; code: number };
      hit: RateLimitHit;
    };

interface Window {
  resetAt: number;
  count: number;
}

/** Seconds with millisecond precision, as Discord writes them in headers. */
const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/**
 * Counts requests in fixed windows and decides, per request, whether Discord would serve
 * it or answer 429; the clock is the caller's (the stand-in's adjustable one).
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private global: Window | undefined;
  /** Per global window: how many bot-authenticated requests it served (for tests' own checks). */
  readonly globalWindows: Array<{ openedAt: number; served: number }> = [];

  constructor(readonly rules: RateLimitRules = DISCORD_RATE_LIMITS) {}

  /**
   * Takes one request from its buckets, or refuses it. `authorized`: the request carries
   * the bot's token (only those count toward the global limit).
   */
  take(method: string, path: string, authorized: boolean, now: number): RateLimitDecision {
    const bucket = bucketFor(method, path, this.rules);
    const countsGlobally = authorized && !bucket.exemptFromGlobal;
    if (countsGlobally) {
      if (!this.global || now >= this.global.resetAt) {
        this.global = { resetAt: now + this.rules.global.windowMs, count: 0 };
        this.globalWindows.push({ openedAt: now, served: 0 });
      }
      if (this.global.count >= this.rules.global.limit) {
        const retryMs = this.global.resetAt - now;
        return {
          allowed: false,
          headers: {
            'Retry-After': String(Math.ceil(retryMs / 1000)),
            'X-RateLimit-Global': 'true',
            'X-RateLimit-Scope': 'global',
          },
          body: {
            message: 'You are being rate limited.',
            retry_after: Number(seconds(retryMs)),
            global: true,
            code: 0,
          },
          hit: { scope: 'global', route: bucket.route, major: bucket.major, retryAfterSeconds: retryMs / 1000 },
        };
      }
    }
    const key = `${bucket.route}|${bucket.major}`;
    let window = this.windows.get(key);
    if (!window || now >= window.resetAt) {
      window = { resetAt: now + bucket.rule.windowMs, count: 0 };
      this.windows.set(key, window);
    }
    const routeHeaders = (remaining: number): Record<string, string> => ({
      'X-RateLimit-Limit': String(bucket.rule.limit),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset': seconds(window.resetAt),
      'X-RateLimit-Reset-After': seconds(window.resetAt - now),
      'X-RateLimit-Bucket': bucketHash(bucket.route),
    });
    if (window.count >= bucket.rule.limit) {
      const retryMs = window.resetAt - now;
      return {
        allowed: false,
        headers: { ...routeHeaders(0), 'Retry-After': String(Math.ceil(retryMs / 1000)), 'X-RateLimit-Scope': 'user' },
        body: { message: 'You are being rate limited.', retry_after: Number(seconds(retryMs)), global: false, code: 0 },
        hit: { scope: 'user', route: bucket.route, major: bucket.major, retryAfterSeconds: retryMs / 1000 },
      };
    }
    window.count += 1;
    if (countsGlobally && this.global) {
      this.global.count += 1;
      const last = this.globalWindows.at(-1);
      if (last) last.served += 1;
    }
    // Forget closed windows now and then, so a long load run does not grow the map.
    if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (now >= w.resetAt) this.windows.delete(k);
    return { allowed: true, headers: routeHeaders(bucket.rule.limit - window.count) };
  }
}
