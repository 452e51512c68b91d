/** Result of {@link Cooldown.take}. */
export type CooldownResult = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Per-user cooldown: one accepted question per user every `seconds`. The clock is
 * injectable so the logic is testable without waiting.
 */
export class Cooldown {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Accepts (and starts the user's cooldown) or says how long to wait; `seconds` overrides the default (a server's setting). */
  take(userId: string, seconds: number = this.seconds): CooldownResult {
    if (seconds <= 0) return { ok: true };
    const now = this.now();
    const windowMs = seconds * 1000;
    const previous = this.last.get(userId);
    if (previous !== undefined && now - previous < windowMs)
      return { ok: false, retryAfterMs: windowMs - (now - previous) };
    this.last.set(userId, now);
    // Forget users whose cooldown has long ended, so the map stays small.
    if (this.last.size > 10_000) for (const [id, t] of this.last) if (now - t >= windowMs) this.last.delete(id);
    return { ok: true };
  }
}

/** "Please wait 3 more seconds before asking again." */
export function cooldownMessage(retryAfterMs: number): string {
  const s = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `Please wait ${s} more second${s === 1 ? '' : 's'} before asking again.`;
}
