/** Checks on what the bot sent to the Discord stand-in. */

import type { RestCall } from '@newsrag/test-support/discord';
import { expect } from 'vitest';

/** The message payloads of a REST call: a callback's `data`, or the body of a message create/edit. */
export function messagesOf(call: RestCall): Array<Record<string, unknown>> {
  const body = call.body as Record<string, unknown> | null;
  if (!body) return [];
  if (call.path.startsWith('/interactions/')) {
    const data = body.data as Record<string, unknown> | undefined;
    return data && ('content' in data || 'embeds' in data) ? [data] : [];
  }
  return 'content' in body || 'embeds' in body ? [body] : [];
}

/** No message the bot sent can ping anyone, and none broke a limit. */
export function expectNoPingsNoViolations(calls: readonly RestCall[]): number {
  let messages = 0;
  for (const call of calls) {
    expect(call.violations, `${call.method} ${call.path}`).toEqual([]);
    expect(call.status, `${call.method} ${call.path}`).toBeLessThan(300);
    for (const m of messagesOf(call)) {
      messages++;
      expect(m.allowed_mentions, `${call.method} ${call.path}`).toMatchObject({ parse: [] });
      const allowed = m.allowed_mentions as { users?: unknown[]; roles?: unknown[] };
      expect(allowed.users ?? []).toEqual([]);
      expect(allowed.roles ?? []).toEqual([]);
    }
  }
  return messages;
}
