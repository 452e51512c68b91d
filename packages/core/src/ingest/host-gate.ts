/**
 * Per-host politeness: at most `concurrency` requests to one host at a time, and at
 * least `delayMs` between the starts of two requests to it. Hosts do not wait for each other.
 */
export class HostGate {
  private readonly hosts = new Map<string, { active: number; nextStart: number; queue: Array<() => void> }>();

  constructor(
    private readonly concurrency: number,
    private readonly delayMs: number,
  ) {}

  /** Runs `task` when `host` has a free slot; `extraDelayMs` raises the delay (robots.txt Crawl-delay). */
  async run<T>(host: string, task: () => Promise<T>, extraDelayMs = 0): Promise<T> {
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, nextStart: 0, queue: [] };
      this.hosts.set(host, state);
    }
    const s = state;
    if (s.active >= this.concurrency) await new Promise<void>((resolve) => s.queue.push(resolve));
    s.active++;
    const delay = Math.max(this.delayMs, extraDelayMs);
    const wait = s.nextStart - Date.now();
    s.nextStart = Math.max(Date.now(), s.nextStart) + delay;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      return await task();
    } finally {
      s.active--;
      s.queue.shift()?.();
    }
  }
}
