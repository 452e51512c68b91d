/**
 * The stand-in's REST side: every request is recorded with its JSON body, response headers
 * and timestamps, and answered the way Discord would, in Discord's order — unknown route
 * (404), missing token (401), rate limit (429, `rate-limits.ts`), interaction token rules
 * (`interactions.ts`), message and autocomplete limits (400, `message-limits.ts`), then the
 * route's own answer (`routes.ts`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StandinClock } from './clock.js';
import type { InteractionLedger, Refusal } from './interactions.js';
import { checkAutocompleteChoices, checkMessageLimits, isEmptyMessage, parseBody } from './message-limits.js';
import type { RateLimiter, RateLimitHit } from './rate-limits.js';
import { type RouteContext, route } from './routes.js';

/** One REST request the bot made. */
export interface RestCall {
  method: string;
  /** Path below `/api/v10`, URL-decoded (`/webhooks/1/tok/messages/@original`). */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (for multipart, the `payload_json` part), or null. */
  body: unknown;
  /** Whether the `Authorization` header was present (never its value: it carries the token). */
  authorized: boolean;
  /** `performance.now()` when the request arrived. */
  receivedAt: number;
  /** `performance.now()` when the stand-in answered it. */
  respondedAt: number;
  status: number;
  /** Headers of the answer (rate-limit headers included). */
  responseHeaders: Record<string, string>;
  /** Discord's JSON error code when refused (10062, 40060, 50027, 50035…). */
  code?: number;
  /** The JSON body of a refusal (4xx), e.g. a 429's `{ message, retry_after, global }`. */
  errorBody?: unknown;
  /** Limit violations found in the body (empty when valid). */
  violations: string[];
}

/** A limit violation: which call, and what was wrong. */
export interface Violation {
  method: string;
  path: string;
  problems: string[];
}

/** A request refused by a rule other than the message limits (rate limit, interaction token). */
export interface RuleRefusal {
  method: string;
  path: string;
  status: number;
  code: number;
  message: string;
  /** Set for 429s. */
  rateLimit?: RateLimitHit;
}

/** What answering a request needs from the rest of the stand-in, and where it records it. */
export interface RestContext {
  clock: StandinClock;
  rateLimiter: RateLimiter;
  interactions: InteractionLedger;
  /** The stand-in as the routes see it, at the time of the request. */
  routes(): RouteContext;
  calls: RestCall[];
  violations: Violation[];
  refusals: RuleRefusal[];
  /** Told of every call once it is answered (after it is in `calls`). */
  onAnswered(call: RestCall): void;
  /** Told of every successful response body (one may be a message the bot posted). */
  onResponse(payload: unknown): void;
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(payload));
}

/** Reads, records and answers one REST request. */
export async function answerRest(ctx: RestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const receivedAt = performance.now();
  const now = ctx.clock.now();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  const path = decodeURIComponent(url.pathname.replace(/^\/api(\/v\d+)?/, ''));
  const query = Object.fromEntries(url.searchParams);
  let body: unknown = null;
  let badJson = false;
  try {
    body = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
  } catch {
    badJson = true;
  }
  const call: RestCall = {
    method,
    path,
    query,
    body,
    authorized: typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0,
    receivedAt,
    respondedAt: 0,
    status: 0,
    responseHeaders: {},
    violations: [],
  };
  const respond = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
    call.status = status;
    call.respondedAt = performance.now();
    call.responseHeaders = headers;
    if (status >= 400) {
      call.errorBody = payload;
      if (payload && typeof payload === 'object' && 'code' in payload) call.code = (payload as { code: number }).code;
    }
    ctx.calls.push(call);
    if (status === 204 || payload === undefined) {
      res.writeHead(status, headers);
      res.end();
    } else {
      sendJson(res, status, payload, headers);
    }
    ctx.onAnswered(call);
  };
  const refuse = (refusal: Refusal, headers: Record<string, string> = {}) => {
    ctx.refusals.push({ method, path, ...refusal });
    respond(refusal.status, { message: refusal.message, code: refusal.code }, headers);
  };
  if (badJson) return respond(400, { message: '400: Bad Request', code: 50109 });

  const found = route(ctx.routes(), method, path, body, query);
  if (!found) return respond(404, { message: '404: Not Found', code: 0 });
  if (found.needsAuth && !call.authorized) return respond(401, { message: '401: Unauthorized', code: 0 });

  const limit = ctx.rateLimiter.take(method, path, call.authorized, now);
  if (!limit.allowed) {
    ctx.refusals.push({ method, path, status: 429, code: 0, message: limit.body.message, rateLimit: limit.hit });
    return respond(429, limit.body, limit.headers);
  }
  if (found.interactionCallback) {
    const { id, token } = found.interactionCallback;
    const refusal = ctx.interactions.checkCallback(id, token, now);
    if (refusal) return refuse(refusal, limit.headers);
  }
  if (found.webhook) {
    const refusal = ctx.interactions.checkWebhook(found.webhook.applicationId, found.webhook.token, now);
    if (refusal) return refuse(refusal, limit.headers);
  }
  if (found.messageBody !== undefined) {
    const problems = checkMessageLimits(found.messageBody);
    if (found.requireNonEmpty && isEmptyMessage(found.messageBody)) problems.push('Cannot send an empty message');
    if (problems.length > 0) {
      call.violations = problems;
      ctx.violations.push({ method, path, problems });
      return respond(400, { message: 'Invalid Form Body', code: 50035, errors: problems }, limit.headers);
    }
  }
  if (found.choicesBody !== undefined) {
    const problems = checkAutocompleteChoices(found.choicesBody);
    if (problems.length > 0) {
      call.violations = problems;
      ctx.violations.push({ method, path, problems });
      return respond(400, { message: 'Invalid Form Body', code: 50035, errors: problems }, limit.headers);
    }
  }
  if (found.interactionCallback) {
    const data = (body as { data?: { flags?: number } } | null)?.data;
    const ephemeral = ((data?.flags ?? 0) & 64) !== 0;
    ctx.interactions.acknowledge(
      found.interactionCallback.id,
      found.interactionCallback.type,
      performance.now(),
      ephemeral,
    );
  }
  const payload = found.response();
  if (found.status >= 400) {
    const error = payload as { message: string; code: number };
    ctx.refusals.push({ method, path, status: found.status, code: error.code, message: error.message });
  } else ctx.onResponse(payload);
  return respond(found.status, payload, limit.headers);
}
