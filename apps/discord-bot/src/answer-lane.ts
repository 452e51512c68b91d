/**
 * One lane for the CPU-bound part of answering (query embedding, search, extraction),
 * behind the acknowledgements.
 *
 * Answering runs on the event loop that also reads the gateway and sends the initial
 * responses Discord wants within 3 seconds. Left to interleave freely, a burst of N
 * questions keeps the loop busy with answer work from N continuations, and the
 * acknowledgements still in flight crawl between them. In the lane:
 *
 * - jobs run one at a time, in arrival order, each from a fresh macrotask (`setImmediate`),
 *   so between two jobs the loop polls I/O and answers come back first-in first-out;
 * - a job waits while acknowledgements sent through {@link AnswerLane.acknowledge} are in
 *   flight (at most `maxAckWaitMs`, so a steady stream of new interactions cannot starve
 *   answering): a burst is acknowledged first, then answered.
 */
export class AnswerLane {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private acksInFlight = 0;
  private readonly ackWaiters = new Set<() => void>();

  constructor(private readonly maxAckWaitMs = 250) {}

  /** Jobs queued or running. */
  get depth(): number {
    return this.pending;
  }

  /** Sends an acknowledgement; jobs wait for it (see the class comment). */
  async acknowledge<T>(send: () => Promise<T>): Promise<T> {
    this.acksInFlight += 1;
    try {
      return await send();
    } finally {
      this.acksInFlight -= 1;
      if (this.acksInFlight === 0) for (const wake of [...this.ackWaiters]) wake();
    }
  }

  /** Runs `job` after every job queued before it and the acknowledgements in flight; settles like it. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => this.acksSettled())
      .then(job);
    const settled = result.finally(() => {
      this.pending -= 1;
    });
    // A failed job must not stop the ones behind it; its caller sees the failure through `result`.
    this.tail = settled.catch(() => undefined);
    return result;
  }

  private acksSettled(): Promise<void> {
    if (this.acksInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.ackWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.maxAckWaitMs);
      this.ackWaiters.add(wake);
    });
  }
}
