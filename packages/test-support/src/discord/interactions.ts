/**
 * The life of an interaction token as Discord enforces it
 * (https://discord.com/developers/docs/interactions/receiving-and-responding):
 * the initial response must arrive within 3 seconds of the interaction, once; the token
 * then works for follow-ups and edits for 15 minutes.
 */

/** Discord's deadline for the initial response. */
export const INITIAL_RESPONSE_DEADLINE_MS = 3_000;
/** How long an interaction token stays valid. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;

/** One interaction the stand-in dispatched, and what became of it. */
export interface InteractionRecord {
  id: string;
  token: string;
  applicationId: string;
  /** `performance.now()` when the dispatch was written to the socket. */
  sentAt: number;
  /** The stand-in clock (epoch ms) at dispatch: the deadlines count from here. */
  issuedAt: number;
  /** `performance.now()` when the initial response was accepted (undefined: never). */
  acknowledgedAt?: number;
  /** The callback type of the accepted initial response (4 reply, 5 defer, 6/7 update…). */
  responseType?: number;
  /** The channel the interaction came from. */
  channelId?: string;
  /** The id of its original response message, fixed when first asked for. */
  originalMessageId?: string;
  /** The initial response was ephemeral (flag 64). */
  ephemeral?: boolean;
}

/** Why the stand-in refused a request, in Discord's words and codes. */
export interface Refusal {
  status: number;
  code: number;
  message: string;
}

export const UNKNOWN_INTERACTION: Refusal = { status: 404, code: 10062, message: 'Unknown interaction' };
export const ALREADY_ACKNOWLEDGED: Refusal = {
  status: 400,
  code: 40060,
  message: 'Interaction has already been acknowledged.',
};
export const UNKNOWN_WEBHOOK: Refusal = { status: 404, code: 10015, message: 'Unknown Webhook' };
export const INVALID_WEBHOOK_TOKEN: Refusal = { status: 401, code: 50027, message: 'Invalid Webhook Token' };

/** Every interaction dispatched, by id and by token, with the rules for their endpoints. */
export class InteractionLedger {
  readonly byId = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, InteractionRecord>();

  register(record: InteractionRecord): void {
    this.byId.set(record.id, record);
    this.byToken.set(record.token, record);
  }

  /** Checks an initial response (`POST /interactions/:id/:token/callback`) at `now` (stand-in clock). */
  checkCallback(id: string, token: string, now: number): Refusal | undefined {
    const record = this.byId.get(id);
    if (!record || record.token !== token) return UNKNOWN_INTERACTION;
    if (record.acknowledgedAt !== undefined) return ALREADY_ACKNOWLEDGED;
    // Past the deadline Discord has already told the user "The application did not respond".
    if (now - record.issuedAt > INITIAL_RESPONSE_DEADLINE_MS) return UNKNOWN_INTERACTION;
    return undefined;
  }

  /** Marks the initial response as accepted. */
  acknowledge(id: string, type: number, at: number, ephemeral = false): void {
    const record = this.byId.get(id);
    if (record) {
      record.acknowledgedAt = at;
      record.responseType = type;
      record.ephemeral = ephemeral;
    }
  }

  /** The record of a token (undefined: unknown). */
  byTokenOf(token: string): InteractionRecord | undefined {
    return this.byToken.get(token);
  }

  /** Checks a request on the interaction's webhook (`/webhooks/:application/:token/…`). */
  checkWebhook(applicationId: string, token: string, now: number): Refusal | undefined {
    const record = this.byToken.get(token);
    if (!record || record.applicationId !== applicationId) return UNKNOWN_WEBHOOK;
    if (now - record.issuedAt > TOKEN_LIFETIME_MS) return INVALID_WEBHOOK_TOKEN;
    // A token whose interaction was never acknowledged in time was invalidated with it.
    if (record.acknowledgedAt === undefined && now - record.issuedAt > INITIAL_RESPONSE_DEADLINE_MS)
      return INVALID_WEBHOOK_TOKEN;
    return undefined;
  }

  /** Interactions never acknowledged. */
  unacknowledged(): InteractionRecord[] {
    return [...this.byId.values()].filter((r) => r.acknowledgedAt === undefined);
  }
}
