/**
 * The stand-in's clock: wall time plus an offset a test can advance, so rules measured
 * in seconds or minutes (the 3-second deadline, the 15-minute token lifetime, bucket
 * resets) can be shown without a test waiting for them.
 */
export class StandinClock {
  private offsetMs = 0;

  /** Milliseconds since the Unix epoch, as the stand-in sees them. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the stand-in's time forward (the client's clock is untouched). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`StandinClock.advance: ms must be ≥ 0, got ${ms}`);
    this.offsetMs += ms;
  }
}
