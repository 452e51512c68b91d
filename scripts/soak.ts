/**
 * Soak test (not part of CI): asks questions continuously through the library (and,
 * with `--bot`, through the real bot against the local Discord stand-in as well),
 * reindexes now and then, samples the RSS every 10 s and prints a table and the RSS
 * slope, so a leak shows up as a steady climb.
 *
 *   npx tsx scripts/soak.ts --minutes 30 [--bbc 300] [--bot] [--sample-seconds 10] [--reindex-minutes 2]
 *
 * RSS and heap are sampled right after a forced garbage collection. Uses the stand-in model on a temp copy of the seed articles plus `--bbc` BBC articles
 * (from `$NEWSRAG_SHARED_DIR`, default `../shared`). Exit code 1 when the RSS slope after
 * the first minute exceeds `--max-slope` MiB/min (default 2), or any question failed.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { percentile, REPO_ROOT, SHARED_DIR } from '@newsrag/test-support';

const SOURCES_TSCONFIG = path.join(REPO_ROOT, 'tests', 'discord', 'tsconfig.sources.json');

interface SoakOptions {
  minutes: number;
  bbc: number;
  bot: boolean;
  sampleSeconds: number;
  reindexMinutes: number;
  maxSlope: number;
}

function options(): SoakOptions {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '30' },
      bbc: { type: 'string', default: '300' },
      bot: { type: 'boolean', default: false },
      'sample-seconds': { type: 'string', default: '10' },
      'reindex-minutes': { type: 'string', default: '2' },
      'max-slope': { type: 'string', default: '2' },
    },
  });
  const num = (name: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) {
      process.stderr.write(`soak: --${name} must be a number ≥ ${min}, got ${JSON.stringify(value)}\n`);
      process.exit(2);
    }
    return n;
  };
  return {
    minutes: num('minutes', values.minutes, 0.1),
    bbc: num('bbc', values.bbc, 0),
    bot: values.bot ?? false,
    sampleSeconds: num('sample-seconds', values['sample-seconds'], 1),
    reindexMinutes: num('reindex-minutes', values['reindex-minutes'], 0),
    maxSlope: num('max-slope', values['max-slope'], 0),
  };
}

/**
 * Theil–Sen slope of y over x: the median of the slopes between every pair of points.
 * A reindex briefly holds two generations, and garbage collection is lumpy; unlike a
 * least-squares fit, the median ignores such spikes and follows the trend. Pure.
 */
export function robustSlope(xs: readonly number[], ys: readonly number[]): number {
  const slopes: number[] = [];
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = (xs[j] as number) - (xs[i] as number);
      if (dx !== 0) slopes.push(((ys[j] as number) - (ys[i] as number)) / dx);
    }
  }
  return slopes.length === 0 ? 0 : percentile(slopes, 50);
}

/** Least-squares slope of y over x. Pure. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i] as number;
    sy += ys[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    num += dx * ((ys[i] as number) - my);
    den += dx * dx;
  }
  return den === 0 ? 0 : num / den;
}

async function questionPool(): Promise<string[]> {
  const out: string[] = [];
  // The seed questions ship with the repo; the BBC ones only with the shared data.
  const files = [
    path.join(REPO_ROOT, 'data', 'eval', 'seed-questions.dev.jsonl'),
    path.join(SHARED_DIR, 'eval', 'bbc-questions.dev.jsonl'),
  ];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const q = (JSON.parse(line) as { question?: unknown }).question;
      if (typeof q === 'string') out.push(q);
    }
  }
  // Hostile ones too: they must not leak either.
  out.push(
    '😀🔥🚀',
    '?!…',
    '@everyone <@&123> what happened?',
    'Какую породу собак Ким подарил Путину?',
    'x'.repeat(5000),
  );
  if (out.length === 0) out.push('What dog breed did Kim give Putin?');
  return out;
}

interface Sample {
  minute: number;
  rssMiB: number;
  heapMiB: number;
  asked: number;
  p50: number;
  p95: number;
  generation: number;
}

async function soak(opts: SoakOptions): Promise<number> {
  // Imported here, after the re-exec below made workspace packages resolve to their sources.
  const { openKnowledgeBase } = await import('@newsrag/core');
  const root = await mkdtemp(path.join(tmpdir(), 'newsrag-soak-'));
  const articles = path.join(root, 'articles');
  await mkdir(articles);
  await cp(path.join(REPO_ROOT, 'data', 'articles'), articles, { recursive: true });
  const bbc = path.join(SHARED_DIR, 'corpora', 'bbc');
  const topics = ['business', 'entertainment', 'politics', 'sport', 'tech'];
  for (let i = 0; i < opts.bbc; i++) {
    const topic = topics[i % topics.length] as string;
    const files = (await readdir(path.join(bbc, topic))).filter((f) => f.endsWith('.txt')).sort();
    const file = files[Math.floor(i / topics.length) % files.length] as string;
    await cp(path.join(bbc, topic, file), path.join(articles, `bbc-${topic}-${file}`));
  }
  const kb = await openKnowledgeBase({ indexDir: path.join(root, 'index'), model: 'standin' });
  const built = await kb.index([articles]);
  process.stdout.write(
    `soak: ${built.added} articles indexed (${built.chunksEmbedded} chunks) in ${built.seconds.toFixed(1)} s; ` +
      `running ${opts.minutes} min, sampling every ${opts.sampleSeconds} s${opts.bot ? ', with the bot' : ''}\n`,
  );

  let botLoop: Promise<void> = Promise.resolve();
  let stopBot: () => Promise<void> = async () => undefined;
  let botAsked = 0;
  let botFailed = 0;
  const questions = await questionPool();
  const deadline = performance.now() + opts.minutes * 60_000;

  if (opts.bot) {
    const { DiscordStandin, snowflake } = await import('@newsrag/test-support/discord');
    const { createBot, createLogger, parseConfig } = await import('@newsrag/discord-bot');
    const standin = await DiscordStandin.start();
    const config = parseConfig({
      DISCORD_TOKEN: 'soak-token',
      DISCORD_API_URL: standin.apiUrl,
      NEWSRAG_INDEX_DIR: path.join(root, 'index'),
      NEWSRAG_ARTICLES_DIR: articles,
      NEWSRAG_COOLDOWN_SECONDS: '0',
    });
    const bot = createBot(config, kb, { logger: createLogger({ secrets: ['soak-token'], sink: () => undefined }) });
    await bot.start();
    botLoop = (async () => {
      let i = 0;
      while (performance.now() < deadline) {
        const s = standin.sendCommand({
          name: 'ask',
          user: { id: snowflake(), username: `soak-${i % 50}` },
          options: [{ name: 'question', type: 3, value: (questions[i % questions.length] as string).slice(0, 300) }],
        });
        i++;
        try {
          await standin.waitFor((c) => c.path.includes(s.token) && c.method === 'PATCH', 30_000);
          botAsked++;
        } catch {
          botFailed++;
        }
        // The stand-in records every call; keep its log from growing without end.
        standin.calls.splice(0, standin.calls.length);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    stopBot = async () => {
      await bot.stop();
      await standin.stop();
    };
  }

  const samples: Sample[] = [];
  let latencies: number[] = [];
  let asked = 0;
  let failed = 0;
  let generation = 0;
  const started = performance.now();
  let nextSample = started;
  let nextReindex = started + opts.reindexMinutes * 60_000;
  const header = ' minute   RSS MiB  heap MiB  asked/win  p50 ms  p95 ms  gen';
  process.stdout.write(`${header}\n`);
  const sample = async () => {
    // Live memory, not garbage awaiting collection (the child runs with --expose-gc).
    globalThis.gc?.();
    const m = process.memoryUsage();
    const stats = await kb.stats();
    generation = stats.generation;
    const s: Sample = {
      minute: (performance.now() - started) / 60_000,
      rssMiB: m.rss / 2 ** 20,
      heapMiB: m.heapUsed / 2 ** 20,
      asked: latencies.length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      generation,
    };
    samples.push(s);
    latencies = [];
    process.stdout.write(
      `${s.minute.toFixed(2).padStart(7)} ${s.rssMiB.toFixed(1).padStart(9)} ${s.heapMiB.toFixed(1).padStart(9)} ` +
        `${String(s.asked).padStart(10)} ${s.p50.toFixed(0).padStart(7)} ${s.p95.toFixed(0).padStart(7)} ${String(s.generation).padStart(4)}\n`,
    );
  };

  let i = 0;
  while (performance.now() < deadline) {
    if (performance.now() >= nextSample) {
      await sample();
      nextSample += opts.sampleSeconds * 1000;
    }
    if (opts.reindexMinutes > 0 && performance.now() >= nextReindex) {
      // Edit one article so a new generation is built and swapped in under load.
      const file = path.join(articles, 'soak-note.txt');
      await writeFile(
        file,
        `Soak note ${i}: the reindex at minute ${((performance.now() - started) / 60_000).toFixed(1)} added this line.\n`,
      );
      await kb.index([articles]);
      nextReindex += opts.reindexMinutes * 60_000;
    }
    const q = questions[i++ % questions.length] as string;
    const t0 = performance.now();
    try {
      await kb.answer(q);
      asked++;
    } catch (error) {
      failed++;
      process.stderr.write(`soak: question ${JSON.stringify(q.slice(0, 60))} failed: ${(error as Error).message}\n`);
    }
    latencies.push(performance.now() - t0);
    // Yield to timers (the bot's loop, sampling) between questions.
    await new Promise((r) => setImmediate(r));
  }
  await sample();
  await botLoop;
  await stopBot();
  await kb.close();
  await rm(root, { recursive: true, force: true });

  // The first minute is warm-up (model, caches, JIT); the slope is taken over the rest.
  const steady = samples.filter((s) => s.minute >= Math.min(1, opts.minutes / 3));
  const minutes = steady.map((s) => s.minute);
  const rss = steady.map((s) => s.rssMiB);
  const heap = steady.map((s) => s.heapMiB);
  const rssSlope = robustSlope(minutes, rss);
  const heapSlope = robustSlope(minutes, heap);
  const first = steady[0];
  const last = steady.at(-1);
  process.stdout.write(
    [
      '',
      `questions: ${asked} answered through the library${opts.bot ? `, ${botAsked} through the bot (${botFailed} timed out)` : ''}, ${failed} failed`,
      `RSS ${first?.rssMiB.toFixed(1)} → ${last?.rssMiB.toFixed(1)} MiB, heap ${first?.heapMiB.toFixed(1)} → ${last?.heapMiB.toFixed(1)} MiB over minutes ${first?.minute.toFixed(1)}–${last?.minute.toFixed(1)}`,
      `slope (Theil–Sen): RSS ${rssSlope.toFixed(2)} MiB/min, heap ${heapSlope.toFixed(2)} MiB/min (limit ${opts.maxSlope} MiB/min); ` +
        `least squares: RSS ${slope(minutes, rss).toFixed(2)}, heap ${slope(minutes, heap).toFixed(2)}`,
      rssSlope > opts.maxSlope ? 'verdict: RSS GROWS — look for a leak' : 'verdict: flat',
      '',
    ].join('\n'),
  );
  return rssSlope > opts.maxSlope || failed > 0 || botFailed > 0 ? 1 : 0;
}

if (process.env.NEWSRAG_SOAK_SOURCES === '1') {
  process.exitCode = await soak(options());
} else {
  // Run again with workspace packages resolved to their sources (no build needed).
  options();
  const child = spawn(
    process.execPath,
    ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { ...process.env, NEWSRAG_SOAK_SOURCES: '1', TSX_TSCONFIG_PATH: SOURCES_TSCONFIG },
    },
  );
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}
