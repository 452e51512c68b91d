import { describe, expect, it } from 'vitest';
import { isInteractionRequest } from './rest.js';

describe('isInteractionRequest', () => {
  const app = '1199999999999999999';
  it('picks the requests made with an interaction token', () => {
    const routes = [
      `/interactions/${app}/tok/callback`,
      `/webhooks/${app}/tok/messages/@original`,
      `/webhooks/${app}/tok`,
      `/webhooks/${app}/tok/messages/${app}`,
    ] as const;
    for (const fullRoute of routes) expect(isInteractionRequest({ fullRoute, auth: false }), fullRoute).toBe(true);
  });
  it('leaves bot-authenticated requests on the global limiter', () => {
    expect(isInteractionRequest({ fullRoute: `/channels/${app}/messages`, auth: false })).toBe(false);
    expect(isInteractionRequest({ fullRoute: `/webhooks/${app}/tok`, auth: true })).toBe(false);
    expect(isInteractionRequest({ fullRoute: `/webhooks/${app}/tok` })).toBe(false);
    expect(isInteractionRequest({ fullRoute: '/gateway/bot', auth: true })).toBe(false);
  });
});
