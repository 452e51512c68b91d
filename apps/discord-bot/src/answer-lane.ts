/**
 * One lane for the CPU-bound part of answering (query embedding, search, extraction),
 * behind the acknowledgements.
 *
 * Answering runs on the event loop that also reads the gateway and sends the initial
 * responses Discord wants within 3 seconds. Left to interleave freely, a burst of N
 * questions keeps the loop busy with answer work from N continuations, and the
 * acknowledgements still in flight crawl between them. In the lane:
 *
 * - jobs start in arrival order, at most `concurrency` at a time, each from a fresh
 *   macrotask (`setImmediate`), so between two starts the loop polls I/O. A few jobs at
 *   once, not one: while one waits for the model (onnxruntime runs on its own threads),
 *   another searches, and their query and sentence embeddings join one batched pass
 *   (see the embedder's dynamic batching) instead of one pass each;
 * - a job waits while acknowledgements sent through {@link AnswerLane.acknowledge} are in
 *   flight (at most `maxAckWaitMs`, so a steady stream of new interactions cannot starve
 *   answering): a burst is acknowledged first, then answered.
 */
export class AnswerLane {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private pending = 0;
  private acksInFlight = 0;
  private readonly ackWaiters = new Set<() => void>();

  constructor(
    private readonly maxAckWaitMs = 250,
    private readonly concurrency = DEFAULT_CONCURRENCY,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`AnswerLane concurrency must be a positive integer, got ${concurrency}`);
    }
  }

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

  /** Runs `job` once a slot is free (jobs start in arrival order) and no acknowledgement is in flight; settles like it. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    this.pending += 1;
    try {
      await this.slot();
      try {
        await new Promise<void>((resolve) => setImmediate(resolve));
        await this.acksSettled();
        return await job();
      } finally {
        this.release();
      }
    } finally {
      this.pending -= 1;
    }
  }

  /** Waits for a free slot, first come first served. */
  private slot(): Promise<void> {
    if (this.running < this.concurrency && this.waiting.length === 0) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting job, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
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

/**
 * Jobs answering at once. Enough for a crowd's embeddings to share passes (each job
 * embeds its query, then its candidate sentences), few enough that the first askers are
 * not slowed by many interleaved searches on the one event loop.
 */
export const DEFAULT_CONCURRENCY = 8;
