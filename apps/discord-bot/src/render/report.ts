import type { Report } from '@newsrag/core';
import type { APIEmbed } from 'discord.js';
import { COLORS } from './answer-embed.js';
import { fitEmbeds, LIMITS } from './limits.js';
import { plain } from './text.js';

/** Days listed, the most recent; the rest are summed up in one line. */
const DAYS_SHOWN = 14;

const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 1000) / 10}%`);

/** As many whole lines as fit in `max` characters, with a closing "…and N more" when some do not. Pure. */
export function linesWithin(lines: readonly string[], max: number): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const more = `…and ${lines.length - i} more`;
    const room = i === lines.length - 1 ? max : max - more.length - 1;
    if (length + line.length + (out.length > 0 ? 1 : 0) > room) {
      out.push(more);
      break;
    }
    length += line.length + (out.length > 0 ? 1 : 0);
    out.push(line);
  }
  return out.join('\n') || 'none';
}

/**
 * `/report` as one embed within Discord's limits. Questions and titles are user or article
 * text: shown as plain text (Markdown escaped), never as live markup. Pure.
 */
export function renderReport(
  report: Report,
  options: { days: number | null; damagedLines: number },
): {
  embeds: APIEmbed[];
} {
  const span = options.days === null ? 'all logged questions' : `the last ${options.days} days`;
  if (report.questions === 0 && report.feedback.helpful + report.feedback.notHelpful === 0) {
    return {
      embeds: fitEmbeds([
        { title: 'Report', description: `No public questions logged in this server (${span}).`, color: COLORS.info },
      ]),
    };
  }
  const f = report.feedback;
  const description = [
    `**${report.questions}** questions, **${report.abstained}** unanswered (${pct(report.abstentionRate)}), ${span}.`,
    `Feedback: ${f.helpful} helpful, ${f.notHelpful} not helpful (${pct(f.helpfulRatio)} helpful).`,
    'Public questions in this server only: private answers and DMs are never logged.',
  ].join('\n');
  const days = report.perDay.slice(-DAYS_SHOWN);
  const earlier = report.perDay.length - days.length;
  const dayLines = [
    ...(earlier > 0 ? [`(${earlier} earlier days not shown)`] : []),
    ...days.map((d) => `${d.day}: ${d.questions} asked, ${d.abstained} unanswered`),
  ];
  const unanswered = report.unanswered.map((c) => {
    const also = c.variants.length > 0 ? ` (also: ${c.variants.map((v) => `“${plain(v, 80)}”`).join(', ')})` : '';
    return `**${c.count}×** “${plain(c.question, 200)}”${also}`;
  });
  const cited = report.topCited.map((a) => `**${a.citations}×** ${plain(a.title ?? a.articleId, 150)}`);
  const footer = [
    `Unanswered questions grouped by meaning (${report.clustering.model}, cosine ≥ ${report.clustering.threshold})`,
    ...(report.clustering.leftOut > 0 ? [`${report.clustering.leftOut} older wordings not grouped`] : []),
    ...(options.damagedLines > 0 ? [`${options.damagedLines} damaged log lines skipped`] : []),
  ].join(' · ');
  const embed: APIEmbed = {
    title: 'Report',
    description,
    color: COLORS.info,
    fields: [
      { name: 'Questions per day (UTC)', value: linesWithin(dayLines, LIMITS.fieldValue) },
      { name: 'Most asked unanswered questions', value: linesWithin(unanswered, LIMITS.fieldValue) },
      { name: 'Most cited articles', value: linesWithin(cited, LIMITS.fieldValue) },
    ],
    footer: { text: footer },
  };
  return { embeds: fitEmbeds([embed]) };
}
