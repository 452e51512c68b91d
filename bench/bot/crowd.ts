/**
 * Measures the bot under a crowd: waves of N simultaneous `/ask` interactions through the
 * faithful stand-in, timed from the dispatch leaving the stand-in's gateway to the bot's
 * edit of its deferred reply arriving at the stand-in. Shared by `load.ts` (the bot's own
 * benchmark) and the bench suite's bot worker.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { DiscordStandin, RestCall, SentInteraction } from '@newsrag/test-support/discord';
import { snowflake } from '@newsrag/test-support/discord';

/** Nearest-rank summary of times in ms. */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return {
    n: sorted.length,
    p50: at(50) ?? Number.NaN,
    p95: at(95) ?? Number.NaN,
    p99: at(99) ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** One concurrency level's figures. */
export interface CrowdLevel {
  concurrency: number;
  /** `/ask` dispatched → edited reply received. */
  latency: Summary;
  /** `/ask` dispatched → initial response (defer) received. */
  ack: Summary;
  /** REST requests the stand-in received per answer, during this level. */
  requestsPerAnswer: number;
  /** Requests answered 429 during this level (must be 0). */
  tooManyRequests: number;
  /** Requests refused by an interaction rule (late or double acknowledgement, dead token). */
  refusals: number;
  /** Message-limit violations during this level. */
  violations: number;
  /** Interactions never acknowledged, or edited with an error or an apology. */
  failures: number;
  /** Event-loop delay during the bursts (perf_hooks.monitorEventLoopDelay), ms: the worst wave's. */
  eventLoopDelay: { p50: number; p99: number; max: number };
  /**
   * CPU per answer during the bursts, ms (all waves' CPU over their answers): `processMs` all
   * the bot process's threads (inference worker and onnxruntime's threads included),
   * `mainThreadMs` its main thread's (see {@link mainThreadCpuMs}). Unlike latency, load from other programs on
   * the machine does not inflate it. Absent when the probe cannot tell.
   */
  cpuPerAnswer?: { processMs: number; mainThreadMs: number };
  /** The embedder's forward passes per answer during the bursts (how well queries were batched), when known. */
  passesPerAnswer?: number;
}

export interface CrowdOptions {
  standin: DiscordStandin;
  questions: readonly string[];
  levels: readonly number[];
  /** Each level runs waves until it has at least this many asks. */
  minSamples: number;
  /** Sequential asks before measuring (model and caches warm). */
  warmup: number;
  /** Whether an edit is a failure besides a non-2xx status (e.g. the bot's apology). */
  isFailure?: (edit: RestCall) => boolean;
  /** Progress lines (stderr). */
  log?: (line: string) => void;
  /** Measures the bot's event-loop delay (default: this process's, for a bot running in it). */
  eventLoop?: EventLoopProbe;
}

/** What an {@link EventLoopProbe} measured between `start` and `stop`, in ms. */
export interface EventLoopReading {
  p50: number;
  p99: number;
  max: number;
  /** CPU used meanwhile: the whole process's, and its main thread's. */
  cpu?: { processMs: number; mainThreadMs: number };
  /** The bot's embedder's forward passes meanwhile, when it counts them. */
  forwardPasses?: number;
}

/** Measures event-loop delay (and CPU) between `start` and `stop`, in ms. */
export interface EventLoopProbe {
  start(): void;
  stop(): Promise<EventLoopReading>;
}

/**
 * CPU time of this process's main thread so far, ms: Linux's per-thread schedstat (time on a
 * core, in ns; the main thread's id is the process id). Elsewhere the event loop's busy time
 * (`eventLoopUtilization().active`), which also counts time the thread waited for a core.
 */
export function mainThreadCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ');
    const ns = Number(fields[0]);
    if (Number.isFinite(ns)) return ns / 1e6;
  } catch {
    // Not Linux: fall through.
  }
  return performance.eventLoopUtilization().active;
}

/** This process's event-loop delay and CPU (a bot in this process shares both with the stand-in). */
export function localEventLoopProbe(): EventLoopProbe {
  let monitor: ReturnType<typeof monitorEventLoopDelay> | undefined;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let mainAtStart = 0;
  return {
    start() {
      monitor = monitorEventLoopDelay({ resolution: 1 });
      monitor.enable();
      cpuAtStart = process.cpuUsage();
      mainAtStart = mainThreadCpuMs();
    },
    async stop() {
      if (!monitor) throw new Error('localEventLoopProbe: stop() before start()');
      monitor.disable();
      const cpu = process.cpuUsage(cpuAtStart);
      return {
        p50: monitor.percentile(50) / 1e6,
        p99: monitor.percentile(99) / 1e6,
        max: monitor.max / 1e6,
        cpu: {
          processMs: (cpu.user + cpu.system) / 1000,
          mainThreadMs: mainThreadCpuMs() - mainAtStart,
        },
      };
    },
  };
}

/** Runs every level and returns its figures. The bot must be logged in to `standin`. */
export async function measureCrowd(options: CrowdOptions): Promise<CrowdLevel[]> {
  const { standin, questions } = options;
  let next = 0;
  /** Resolves with the edit of the deferred reply, or with the refusal of the interaction's callback. */
  const ask = async (): Promise<{ sent: SentInteraction; edit: RestCall }> => {
    const i = next++;
    const sent = standin.sendCommand({
      name: 'ask',
      user: { id: snowflake(), username: `asker${i}`, global_name: `asker${i}` },
      options: [{ name: 'question', type: 3, value: questions[i % questions.length] ?? '' }],
    });
    const editPath = `/webhooks/${sent.applicationId}/${sent.token}/messages/@original`;
    const callbackPath = `/interactions/${sent.id}/${sent.token}/callback`;
    // A bot that missed the 3-second deadline never gets to edit: its refused callback ends the ask.
    const edit = await standin.waitFor(
      (c) => (c.method === 'PATCH' && c.path === editPath) || (c.path === callbackPath && c.status >= 400),
      300_000,
    );
    return { sent, edit };
  };
  for (let i = 0; i < options.warmup; i++) await ask();

  const levels: CrowdLevel[] = [];
  for (const concurrency of options.levels) {
    const waves = Math.max(1, Math.ceil(options.minSamples / concurrency));
    const callsBefore = standin.calls.length;
    const refusalsBefore = standin.refusals.length;
    const violationsBefore = standin.violations.length;
    const latencies: number[] = [];
    const acks: number[] = [];
    let failures = 0;
    // One measurement per wave (across the pause it would count the pause); the worst wave is reported.
    const probe = options.eventLoop ?? localEventLoopProbe();
    const delays = { p50: 0, p99: 0, max: 0 };
    let cpu: { processMs: number; mainThreadMs: number } | undefined = { processMs: 0, mainThreadMs: 0 };
    let passes: number | undefined = 0;
    for (let w = 0; w < waves; w++) {
      probe.start();
      const results = await Promise.all(Array.from({ length: concurrency }, () => ask()));
      const wave = await probe.stop();
      delays.p50 = Math.max(delays.p50, wave.p50);
      delays.p99 = Math.max(delays.p99, wave.p99);
      delays.max = Math.max(delays.max, wave.max);
      passes = passes !== undefined && wave.forwardPasses !== undefined ? passes + wave.forwardPasses : undefined;
      cpu =
        cpu && wave.cpu
          ? { processMs: cpu.processMs + wave.cpu.processMs, mainThreadMs: cpu.mainThreadMs + wave.cpu.mainThreadMs }
          : undefined;
      for (const { sent, edit } of results) {
        const record = standin.interactions.byId.get(sent.id);
        if (record?.acknowledgedAt === undefined) {
          failures++;
          continue;
        }
        acks.push(record.acknowledgedAt - sent.sentAt);
        latencies.push(edit.receivedAt - sent.sentAt);
        if (edit.method !== 'PATCH' || edit.status >= 300 || options.isFailure?.(edit)) failures++;
      }
      // Let the per-token and global windows of this wave close before the next one.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    const calls = standin.calls.slice(callsBefore);
    const ms = (v: number) => Number(v.toFixed(1));
    const level: CrowdLevel = {
      concurrency,
      latency: summarize(latencies),
      ack: summarize(acks),
      requestsPerAnswer: Number((calls.length / Math.max(1, latencies.length)).toFixed(2)),
      tooManyRequests: calls.filter((c) => c.status === 429).length,
      refusals: standin.refusals.length - refusalsBefore,
      violations: standin.violations.length - violationsBefore,
      failures,
      eventLoopDelay: { p50: ms(delays.p50), p99: ms(delays.p99), max: ms(delays.max) },
      ...(cpu
        ? {
            cpuPerAnswer: {
              processMs: ms(cpu.processMs / Math.max(1, latencies.length)),
              mainThreadMs: ms(cpu.mainThreadMs / Math.max(1, latencies.length)),
            },
          }
        : {}),
      ...(passes !== undefined ? { passesPerAnswer: Number((passes / Math.max(1, latencies.length)).toFixed(3)) } : {}),
    };
    options.log?.(
      `${concurrency} concurrent: p50 ${level.latency.p50.toFixed(0)} / p95 ${level.latency.p95.toFixed(0)} ms, ` +
        `max ack ${level.ack.max.toFixed(0)} ms, ${level.tooManyRequests} × 429` +
        (level.cpuPerAnswer
          ? `, CPU ${level.cpuPerAnswer.processMs} ms/answer (main thread ${level.cpuPerAnswer.mainThreadMs})`
          : '') +
        (level.passesPerAnswer !== undefined ? `, ${level.passesPerAnswer} forward passes/answer` : ''),
    );
    levels.push(level);
  }
  return levels;
}

/** The figures as a markdown table. */
export function crowdTable(levels: readonly CrowdLevel[]): string {
  const r = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '–');
  const rows = levels.map((l) =>
    [
      l.concurrency,
      l.latency.n,
      r(l.latency.p50),
      r(l.latency.p95),
      r(l.latency.p99),
      r(l.latency.max),
      r(l.ack.max),
      l.requestsPerAnswer,
      l.tooManyRequests,
      l.refusals,
      l.violations,
      l.failures,
      `${l.eventLoopDelay.p99} / ${l.eventLoopDelay.max}`,
      l.cpuPerAnswer ? `${l.cpuPerAnswer.processMs} / ${l.cpuPerAnswer.mainThreadMs}` : '–',
      l.passesPerAnswer ?? '–',
    ].join(' | '),
  );
  return [
    '| concurrent | asks | p50 ms | p95 ms | p99 ms | max ms | max ack ms | requests/answer | 429s | refusals | violations | failures | event-loop delay p99 / max ms | CPU ms/answer: process / main thread | forward passes/answer |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
