import type { Timeline } from '@newsrag/core';
import { humanDate } from '@newsrag/core';
import type { APIEmbed } from 'discord.js';
import { COLORS } from './answer-embed.js';
import { fitEmbeds, LIMITS } from './limits.js';
import { plain } from './text.js';

/** Characters of a quoted sentence per event at most: a timeline of ~10 events must fit one embed. */
const EVENT_CHARS = 220;

/**
 * `/timeline`: one line per dated event, oldest first — its date in bold, the quoted sentence
 * and the articles reporting it — then the undated ones apart. Pure.
 */
export function renderTimeline(t: Timeline): { embeds: APIEmbed[] } {
  const ids = (c: Timeline['events'][number]['citations']) =>
    [...new Set(c.map((x) => `\`${x.articleId.replace(/`/g, "'")}\``))].join(', ');
  const lines = t.events.map((e) => `**${humanDate(e.date)}** — ${plain(e.text, EVENT_CHARS)} (${ids(e.citations)})`);
  const embed: APIEmbed = {
    title: plain(`Timeline: ${t.topic}`, LIMITS.embedTitle),
    description: lines.length > 0 ? lines.join('\n') : 'No dated events about that in the indexed articles.',
    color: COLORS.info,
    fields:
      t.undated.length > 0
        ? [
            {
              name: 'Undated (the article gives no date)',
              value: t.undated.map((u) => `• ${plain(u.text, 120)} (${ids(u.citations)})`).join('\n'),
            },
          ]
        : [],
  };
  return { embeds: fitEmbeds([embed]) };
}
