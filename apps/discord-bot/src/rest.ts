/**
 * Interaction responses off discord.js's global limiter.
 *
 * Discord does not bind interaction endpoints (the initial response, and the webhook of
 * the interaction token: edit the original response, follow-ups) to a bot's global limit
 * of 50 requests per second (https://discord.com/developers/docs/topics/rate-limits#global-rate-limit).
 * @discordjs/rest already sends interaction callbacks through its burst handler, which skips
 * the global limiter (discordjs/discord.js#8996), but it counts every other request against
 * `globalRequestsPerSecond` — the `/webhooks/:application/:token/…` edits included. Each
 * `/ask` costs a defer and an edit, so a crowd of askers queued behind our own limiter at
 * 50 edits per second while Discord would have taken them at once.
 *
 * So requests on an interaction token go to a second `REST` whose global limiter is off;
 * it still keeps per-route buckets from Discord's headers (each token has its own bucket,
 * 5 per 2 s). Everything authenticated with the bot's token stays on the client's own `REST`
 * and keeps the global limit.
 */
import { type InternalRequest, REST, type RESTOptions } from 'discord.js';

const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;
const INTERACTION_WEBHOOK = /^\/webhooks\/\d+\/[^/]+(?:\/|$)/;

/** Whether a request is made with an interaction token rather than the bot's token. Pure. */
export function isInteractionRequest(request: Pick<InternalRequest, 'fullRoute' | 'auth'>): boolean {
  return request.auth === false && (CALLBACK.test(request.fullRoute) || INTERACTION_WEBHOOK.test(request.fullRoute));
}

/**
 * Makes `rest` hand interaction-token requests to a new `REST` built from `options` without
 * a global limit; returns that instance (its events, and `stop()` to clear its timers).
 */
export function splitInteractionRequests(rest: REST, options: Partial<RESTOptions>): REST {
  const interactions = new REST({ ...options, globalRequestsPerSecond: Number.POSITIVE_INFINITY });
  const queue = rest.queueRequest.bind(rest);
  // queueRequest is where REST picks a rate-limit handler: the one seam both instances share.
  rest.queueRequest = (request: InternalRequest) =>
    isInteractionRequest(request) ? interactions.queueRequest(request) : queue(request);
  return interactions;
}
