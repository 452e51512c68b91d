import { existsSync } from 'node:fs';
import { EMBED_DTYPES, type EmbedDtype } from '@newsrag/embed';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULTS, envDefaults } from '../config.js';
import { boundDay } from '../dates/range.js';
import { newsragError } from '../errors.js';
import { readQuestions } from '../eval/questions.js';
import type { EvalReport } from '../eval/score.js';
import { openKnowledgeBase } from '../kb.js';
import { copyIndex } from '../store/copy-index.js';
import { migrateFolderToSqlite } from '../store/migrate.js';
import { isPostgresUrl } from '../store/postgres/location.js';
import { openIndexStore } from '../store/select.js';
import type { KnowledgeBase, SearchMode } from '../types.js';
import { answerJson, formatAnswer, formatStats, formatSummary } from './format.js';
import { addIngestCommands } from './ingest.js';
import { addModelsCommand } from './models.js';
import { indexProgressBar } from './progress.js';
import { addReportCommand } from './report.js';
import { formatTimeline } from './timeline-format.js';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
}

interface GlobalOptions {
  index: string;
  /** The older spelling of `index`; wins when given. */
  indexDir?: string;
  engine: 'auto' | 'folder' | 'sqlite';
  model: string;
  dtype: EmbedDtype;
  modelDir?: string;
}

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new InvalidArgumentError(`${name} must be a whole number from 1 to 100.`);
  return n;
};

/** Builds the `newsrag` command line. Exit codes: 0 success, 1 failure, 2 bad usage. */
export function buildProgram(io: CliIo): Command {
  const env = envDefaults();
  const program = new Command('newsrag')
    .description('Answer questions about news articles with cited passages.')
    .addOption(
      new Option(
        '--index <location>',
        'where the index lives: a folder, or postgres://user@host/db?schema=name for the PostgreSQL engine',
      ).default(env.indexDir),
    )
    .addOption(new Option('--index-dir <dir>', 'the same as --index (its older name)'))
    .addOption(
      new Option(
        '--engine <engine>',
        'index engine: sqlite (migrates a folder-format index on first open), folder (the older generation-folder format), or auto (what the folder holds)',
      )
        .choices(['auto', 'folder', 'sqlite'])
        .default(env.engine),
    )
    .addOption(
      new Option(
        '--model <name>',
        'auto, a preset (bge-small-en-v1.5, all-MiniLM-L6-v2, standin, standin-bge-shape) or a hub model id',
      ).default(env.model),
    )
    .addOption(new Option('--dtype <dtype>', 'weights precision').choices(EMBED_DTYPES).default(env.dtype))
    .addOption(
      new Option(
        '--model-dir <dir>',
        "a local folder with the model's files (Hugging Face layout), used before the cache and the hub",
      ),
    )
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run newsrag --help for usage)');

  const open = (rebuild = false): Promise<KnowledgeBase> => {
    const g = program.opts<GlobalOptions>();
    return openKnowledgeBase({
      indexDir: indexOf(g),
      engine: g.engine,
      model: g.model,
      dtype: g.dtype,
      modelDir: g.modelDir,
      rebuild,
      onNotice: (line) => io.stderr(`${line}\n`),
    });
  };

  program
    .command('index')
    .description('index (incrementally) the articles in the given folders or files')
    .argument('[paths...]', 'folders or files', [env.articlesDir])
    .option('--prune', 'delete indexed articles that are no longer among the paths', false)
    .option('--follow-external-symlinks', 'follow symbolic links that lead outside the article folders', false)
    .option(
      '--rebuild',
      'build a new index from the paths alone, replacing the current one (e.g. after changing model)',
      false,
    )
    .option('--json', 'print a JSON summary', false)
    .action(
      async (
        paths: string[],
        opts: { prune: boolean; rebuild: boolean; json: boolean; followExternalSymlinks: boolean },
      ) => {
        await withKb(
          () => open(opts.rebuild),
          async (kb) => {
            const bar = indexProgressBar(io.isTTY && !opts.json);
            try {
              const summary = await kb.index(paths, {
                prune: opts.prune,
                onProgress: bar.onProgress,
                followExternalSymlinks: opts.followExternalSymlinks,
              });
              bar.stop();
              io.stdout(opts.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
              // A folder that could not be read makes the run incomplete: scripts must see it.
              if (summary.unreadableFolders.length > 0) process.exitCode = 1;
            } finally {
              bar.stop();
            }
          },
        );
      },
    );

  program
    .command('ask')
    .description('answer a question from the indexed articles (indexes the default corpus first if there is no index)')
    .argument('<question>', 'the question')
    .option('-k, --k <n>', 'passages to return', positiveInt('-k'), DEFAULTS.k)
    .addOption(new Option('--mode <mode>', 'retrieval mode').choices(['hybrid', 'dense', 'bm25']).default('hybrid'))
    .option('--since <date>', 'only articles dated on or after YYYY, YYYY-MM or YYYY-MM-DD (undated ones are left out)')
    .option(
      '--until <date>',
      'only articles dated on or before YYYY, YYYY-MM or YYYY-MM-DD (undated ones are left out)',
    )
    .option('--json', 'print JSON', false)
    .action(
      async (
        question: string,
        opts: { k: number; mode: SearchMode; json: boolean; since?: string; until?: string },
      ) => {
        // Checked before opening the index: a typo should not cost a model load.
        const filter = {
          ...(opts.since !== undefined ? { dateFrom: boundDay(opts.since, 'since') } : {}),
          ...(opts.until !== undefined ? { dateTo: boundDay(opts.until, 'until') } : {}),
        };
        await withKb(open, async (kb) => {
          await ensureIndexed(kb, env.articlesDir, io);
          const a = await kb.answer(question, {
            k: opts.k,
            mode: opts.mode,
            ...(Object.keys(filter).length > 0 ? { filter } : {}),
          });
          io.stdout(opts.json ? `${JSON.stringify(answerJson(a), null, 2)}\n` : `${formatAnswer(a)}\n`);
        });
      },
    );

  program
    .command('timeline')
    .description('list the dated events about a topic across the indexed articles, oldest first')
    .argument('<topic>', 'what the events are about, e.g. "Putin and Kim"')
    .option('--json', 'print JSON', false)
    .action(async (topic: string, opts: { json: boolean }) => {
      await withKb(open, async (kb) => {
        await ensureIndexed(kb, env.articlesDir, io);
        const t = await kb.timeline(topic);
        io.stdout(opts.json ? `${JSON.stringify(t, null, 2)}\n` : `${formatTimeline(t)}\n`);
      });
    });
  program
    .command('eval')
    .description('score retrieval and abstention on a question set (see data/eval/README.md for the format)')
    .argument('<questions>', 'a .jsonl question set')
    .addOption(new Option('--mode <mode>', 'retrieval mode').choices(['hybrid', 'dense', 'bm25']).default('hybrid'))
    .option('--json', 'print JSON', false)
    .action(async (file: string, opts: { mode: SearchMode; json: boolean }) => {
      const questions = await readQuestions(file);
      await withKb(open, async (kb) => {
        await ensureIndexed(kb, env.articlesDir, io);
        const report = await kb.evaluate(questions, { mode: opts.mode });
        io.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatEval(report, opts.mode)}\n`);
      });
    });

  program
    .command('stats')
    .description('describe the index')
    .option('--check', 'verify counts, the vector file and every chunk offset', false)
    .option('--json', 'print JSON', false)
    .action(async (opts: { check: boolean; json: boolean }) => {
      await withKb(open, async (kb) => {
        const s = await kb.stats({ check: opts.check });
        io.stdout(opts.json ? `${JSON.stringify(s, null, 2)}\n` : `${formatStats(s)}\n`);
        if (s.check && !s.check.ok) process.exitCode = 1;
      });
    });

  program
    .command('migrate')
    .description(
      'convert the folder-format index at --index to SQLite (verified before the old files go), or bring a postgres:// --index to the current schema (--dry-run shows the steps), or with --from and --to copy an index between engines (folder, SQLite, postgres://) without re-embedding',
    )
    .option('--keep-old', 'keep the folder-format files after the verified migration', false)
    .option('--from <location>', 'the index to copy: a folder or a postgres:// URL')
    .option('--to <location>', 'where to copy it: a folder (SQLite engine) or a postgres:// URL')
    .option('--replace', 'overwrite an index the target already holds', false)
    .option('--dry-run', 'for a postgres:// --index: show the schema migrations it would apply, apply none', false)
    .action(async (opts: { keepOld: boolean; from?: string; to?: string; replace: boolean; dryRun: boolean }) => {
      if (opts.from !== undefined || opts.to !== undefined) {
        if (opts.from === undefined || opts.to === undefined)
          throw newsragError('BAD_OPTIONS', {
            subject: 'newsrag migrate --from/--to',
            problem: 'needs both',
            fix: 'give --from <location> and --to <location> to copy an index',
          });
        const [from, to] = [await openIndexStore(opts.from), await openIndexStore(opts.to)];
        try {
          const r = await copyIndex(from, to, {
            replace: opts.replace,
            ...(io.isTTY
              ? { onProgress: (done: number, total: number) => io.stderr(`copied ${done}/${total} articles\r`) }
              : {}),
          });
          io.stdout(
            `Copied ${r.articles} articles (${r.chunks} chunks) from ${from.location} to ${to.location} in ${r.seconds.toFixed(1)} s; verified counts, model and ${r.sampled} articles read back (records, chunks, vectors).\n`,
          );
        } finally {
          await Promise.all([from.close?.(), to.close?.()]);
        }
        return;
      }
      const location = indexOf(program.opts<GlobalOptions>());
      if (isPostgresUrl(location)) {
        // A Postgres index migrates its schema on open; this shows (and, without --dry-run, applies) what is pending.
        const { PostgresIndexStore } = await import('../store/postgres/pg-store.js');
        const store = new PostgresIndexStore(location);
        try {
          const pending = await store.pendingMigrations();
          if (pending.length === 0) {
            io.stdout(`The schema of ${store.location} is up to date.\n`);
            return;
          }
          for (const m of pending) io.stdout(`${opts.dryRun ? 'would apply' : 'applying'} ${m.version}: ${m.name}\n`);
          if (!opts.dryRun) {
            const applied = await store.ensureSchema();
            io.stdout(`Applied ${applied.length} migration(s) to ${store.location}.\n`);
          }
        } finally {
          await store.close();
        }
        return;
      }
      const r = await migrateFolderToSqlite(location, { keepOld: opts.keepOld });
      io.stdout(
        `Migrated ${r.articles} articles (${r.chunks} chunks) in ${location} to SQLite in ${r.seconds.toFixed(1)} s; verified${r.removedOld ? ', old files removed' : ', old files kept'}.\n`,
      );
    });

  addModelsCommand(program, io);
  addIngestCommands(program, io, () => open());
  addReportCommand(program, io, () => open());
  return program;
}

/** The index location the global options name (`--index-dir`, the older flag, wins when given). */
function indexOf(g: GlobalOptions): string {
  return g.indexDir ?? g.index;
}

async function withKb(open: () => Promise<KnowledgeBase>, body: (kb: KnowledgeBase) => Promise<void>): Promise<void> {
  const kb = await open();
  try {
    await body(kb);
  } finally {
    await kb.close();
  }
}

/** The main job on a fresh machine: with no index yet, build one from the default corpus first. */
async function ensureIndexed(kb: KnowledgeBase, articlesDir: string, io: CliIo): Promise<void> {
  if (kb.articles().length > 0) return;
  if (!existsSync(articlesDir)) {
    throw newsragError('INDEX_NOT_FOUND', { index: kb.location, detail: `and no articles folder at ${articlesDir}` });
  }
  io.stderr(`No index in ${kb.location} yet: indexing ${articlesDir} first.\n`);
  const bar = indexProgressBar(io.isTTY);
  const summary = await kb.index([articlesDir], { onProgress: bar.onProgress });
  bar.stop();
  io.stderr(`${formatSummary(summary)}\n`);
}

function formatEval(r: EvalReport, mode: SearchMode): string {
  const f = (x: number) => x.toFixed(3);
  return [
    `Mode ${mode}, ${r.n} answerable questions`,
    `hit@1 ${f(r.hitAt1)}  hit@3 ${f(r.hitAt3)}  hit@5 ${f(r.hitAt5)}  MRR@10 ${f(r.mrr10)}`,
    `abstention: ${r.abstention.correct} correct, ${r.abstention.wrong} wrong`,
    ...(r.dates
      ? [
          `dates: ${r.dates.correct}/${r.dates.n} right (${f(r.dates.accuracy)}), ${r.dates.invented} invented for undated evidence`,
          ...r.dates.perQuestion
            .filter((p) => !p.correct)
            .map((p) => `  ${p.id}: expected ${p.expected ?? 'no date'}, got ${p.got ?? 'no date'}`),
        ]
      : []),
  ].join('\n');
}
