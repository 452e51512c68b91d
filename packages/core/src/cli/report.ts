import { type Command, InvalidArgumentError } from 'commander';
import { logPaths } from '../config.js';
import { readFeedbackLog, readQuestionLog } from '../report/log.js';
import { buildReport } from '../report/report.js';
import type { Report } from '../report/types.js';
import type { KnowledgeBase } from '../types.js';
import type { CliIo } from './program.js';

const days = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new InvalidArgumentError('--days must be from 1 to 3650.');
  return n;
};

/** Adds `newsrag report` (the bot's `/report`, from its logs) to the program. */
export function addReportCommand(program: Command, io: CliIo, open: () => Promise<KnowledgeBase>): void {
  program
    .command('report')
    .description(
      "what the bot's users asked: questions per day, abstention rate, the most frequent unanswered questions, feedback, the most cited articles",
    )
    .option(
      '--log <file>',
      'the question log (default $NEWSRAG_QUESTION_LOG, else questions.jsonl in the index folder)',
    )
    .option(
      '--feedback <file>',
      'the feedback log (default $NEWSRAG_FEEDBACK_LOG, else feedback.jsonl in the index folder)',
    )
    .option('--days <n>', 'only the last n days', days)
    .option('--json', 'print JSON', false)
    .action(async (opts: { log?: string; feedback?: string; days?: number; json: boolean }) => {
      const g = program.opts<{ index: string; indexDir?: string }>();
      const defaults = logPaths(g.indexDir ?? g.index);
      // A log named on the command line must exist; the default one may not yet.
      const questions = await readQuestionLog(opts.log ?? defaults.questionLog, opts.log !== undefined);
      const votes = await readFeedbackLog(opts.feedback ?? defaults.feedbackLog, opts.feedback !== undefined);
      for (const [name, n] of [
        ['question log', questions.damaged],
        ['feedback log', votes.damaged],
      ] as const) {
        if (n > 0) io.stderr(`Skipped ${n} damaged line${n === 1 ? '' : 's'} of the ${name}.\n`);
      }
      const kb = await open();
      try {
        const titles = new Map(kb.articles().flatMap((a) => (a.meta.title ? [[a.id, a.meta.title] as const] : [])));
        const report = await buildReport(questions.entries, votes.entries, kb.embedder, {
          titles,
          ...(opts.days !== undefined ? { since: new Date(Date.now() - opts.days * 86_400_000) } : {}),
        });
        io.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
      } finally {
        await kb.close();
      }
    });
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

/** The report as plain text for a terminal. Pure. */
export function formatReport(r: Report): string {
  if (r.questions === 0 && r.feedback.helpful + r.feedback.notHelpful === 0) return 'No questions logged yet.';
  return [
    `${r.questions} questions${r.from ? ` from ${r.from.slice(0, 10)} to ${r.to?.slice(0, 10)}` : ''}, ${r.abstained} unanswered (${pct(r.abstentionRate)})`,
    `feedback: ${r.feedback.helpful} helpful, ${r.feedback.notHelpful} not helpful (${pct(r.feedback.helpfulRatio)} helpful)`,
    '',
    'per day:',
    ...r.perDay.map((d) => `  ${d.day}  ${d.questions} asked, ${d.abstained} unanswered`),
    '',
    `most frequent unanswered (clustered with ${r.clustering.model} at cosine ≥ ${r.clustering.threshold}):`,
    ...(r.unanswered.length === 0 ? ['  none'] : []),
    ...r.unanswered.map(
      (c) => `  ${c.count}×  ${c.question}${c.variants.length > 0 ? `  (also: ${c.variants.join(' | ')})` : ''}`,
    ),
    '',
    'most cited articles:',
    ...(r.topCited.length === 0 ? ['  none'] : []),
    ...r.topCited.map((a) => `  ${a.citations}×  ${a.title ?? a.articleId}`),
  ].join('\n');
}
