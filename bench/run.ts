/**
 * newsrag benchmark suite: `npm run bench [-- --quick] [-- --only indexing,latency] [-- --keep]`.
 *
 * Prints a markdown report (progress goes to stderr) and writes every figure to
 * `bench/results/latest.json`. See `bench/README.md`.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCli } from './lib/cli.js';
import { BENCH_MODELS, BenchContext, makePlan } from './lib/context.js';
import { type FloorCheck, floorLine } from './lib/floors.js';
import { describeMachine, machineLine } from './lib/machine.js';
import { benchDir, benchInputs } from './lib/paths.js';
import { SECTIONS } from './sections/all.js';

async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2), SECTIONS);
  const machine = describeMachine();
  const inputs = benchInputs();
  const qualityModel = BENCH_MODELS.find((m) => m === cli.model);
  if (qualityModel === undefined)
    throw new Error(`--model must be one of ${BENCH_MODELS.join(', ')}, got "${cli.model}"`);
  const plan = makePlan(cli.quick, { qualityModel });
  const workDir = await mkdtemp(path.join(tmpdir(), 'newsrag-bench-'));
  const started = performance.now();
  const log = (line: string) => {
    process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  };
  const ctx = new BenchContext(plan, inputs, workDir, log);
  const out: string[] = [
    `# newsrag benchmark (${plan.quick ? 'quick' : 'full'} run)`,
    '',
    `Machine: ${machineLine(machine)}`,
    '',
    `Command: \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
  ];
  const results: Record<string, unknown> = {};
  const floors: FloorCheck[] = [];
  const jsonFile = path.join(benchDir, 'results', 'latest.json');
  // Written after every section, so an interrupted run still leaves what it measured.
  const save = (complete: boolean, totalSeconds: number) =>
    writeAtomic(
      jsonFile,
      `${JSON.stringify({ machine, quick: plan.quick, complete, plan, totalSeconds, floors, sections: results, markdown: out.join('\n') }, null, 2)}\n`,
    );
  // The report is printed section by section as they finish.
  const emit = (lines: string[]) => {
    out.push(...lines);
    process.stdout.write(`${lines.join('\n')}\n`);
  };
  process.stdout.write(`${out.join('\n')}\n`);
  let failed = 0;
  try {
    for (const section of cli.only) {
      const t0 = performance.now();
      log(`${section.title}…`);
      try {
        const r = await section.run(ctx);
        const seconds = (performance.now() - t0) / 1000;
        emit(['', `## ${section.title}`, '', r.markdown, '', `_(section took ${seconds.toFixed(0)} s)_`]);
        results[section.id] = { seconds, floors: r.floors, data: r.data };
        floors.push(...r.floors);
      } catch (error) {
        failed++;
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`${section.id} FAILED: ${message}`);
        emit(['', `## ${section.title}`, '', `**Section failed:** \`${message.split('\n')[0]}\``]);
        results[section.id] = { error: message };
      }
      await save(false, (performance.now() - started) / 1000);
    }
  } finally {
    if (cli.keep) log(`scratch folder kept: ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
  const totalSeconds = (performance.now() - started) / 1000;
  emit([
    '',
    '## Floors',
    '',
    '```',
    ...floors.map(floorLine),
    '```',
    '',
    `Total time: ${(totalSeconds / 60).toFixed(1)} min.`,
  ]);
  await save(true, totalSeconds);
  log(`wrote ${path.relative(process.cwd(), jsonFile)}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
