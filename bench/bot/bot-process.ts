/**
 * The bot in its own process, as in production, for the load benchmark: the stand-in
 * (playing Discord) and the bot then do not share an event loop, so the stand-in's clock
 * is not held up by the bot's work and the bot's event-loop delay is its own.
 *
 * Started by {@link startBotProcess} (IPC). Reads the bot's usual environment
 * (`DISCORD_API_URL`, `NEWSRAG_INDEX_DIR`, `NEWSRAG_MODEL`…) plus `NEWSRAG_MODEL_DIR`;
 * answers `eld-start` / `eld-stop` (event-loop delay of this process between the two, and
 * the CPU it used: all its threads, and its main thread's) and `stop`.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { createBot, createLogger, loadConfig, openBotKnowledgeBase } from '@newsrag/discord-bot';
import { mainThreadCpuMs } from './crowd.js';

export type BotProcessRequest = { type: 'eld-start' } | { type: 'eld-stop' } | { type: 'stop' };
export type BotProcessReply =
  | { type: 'ready'; articles: number }
  | {
      type: 'eld';
      p50: number;
      p99: number;
      max: number;
      cpuMs: number;
      mainThreadMs: number;
      /** The embedder's forward passes meanwhile (null when it does not count them). */
      forwardPasses: number | null;
    }
  | { type: 'error'; message: string };

const send = (reply: BotProcessReply) => process.send?.(reply);

async function main(): Promise<void> {
  const config = loadConfig();
  const kb = await openBotKnowledgeBase(config, { modelDir: process.env.NEWSRAG_MODEL_DIR || undefined });
  await kb.embedder.embedQuery('warm up');
  // Measured as a bot that has been up a while: its sentence cache filled (the bot starts
  // this itself, in the background); NEWSRAG_WARM_SENTENCES=0 measures it cold.
  if (config.warmSentences > 0) await kb.warm({ maxSentences: config.warmSentences });
  const bot = createBot(config, kb, { logger: createLogger({ secrets: [config.token], sink: () => undefined }) });
  await bot.start();
  let monitor: IntervalHistogram | undefined;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let mainAtStart = 0;
  // TransformersEmbedder counts its passes; the Embedder interface does not promise it.
  const passes = () => {
    const n = (kb.embedder as { forwardPasses?: unknown }).forwardPasses;
    return typeof n === 'number' ? n : null;
  };
  let passesAtStart: number | null = null;
  process.on('message', (message: BotProcessRequest) => {
    if (message.type === 'eld-start') {
      monitor = monitorEventLoopDelay({ resolution: 1 });
      monitor.enable();
      cpuAtStart = process.cpuUsage();
      mainAtStart = mainThreadCpuMs();
      passesAtStart = passes();
    } else if (message.type === 'eld-stop' && monitor) {
      monitor.disable();
      // CPU is what load on a shared machine does not distort: latency stretches, CPU per answer does not.
      const cpu = process.cpuUsage(cpuAtStart);
      const ms = (ns: number) => ns / 1e6;
      send({
        type: 'eld',
        p50: ms(monitor.percentile(50)),
        p99: ms(monitor.percentile(99)),
        max: ms(monitor.max),
        cpuMs: (cpu.user + cpu.system) / 1000,
        mainThreadMs: mainThreadCpuMs() - mainAtStart,
        forwardPasses: passesAtStart === null ? null : (passes() ?? passesAtStart) - passesAtStart,
      });
    } else if (message.type === 'stop') {
      void bot
        .stop()
        .then(() => kb.close())
        .finally(() => process.exit(0));
    }
  });
  send({ type: 'ready', articles: kb.articles().length });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
