import { type Answer, humanDate, type Passage, type PublishedCopy } from '@newsrag/core';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIEmbedField } from 'discord.js';
import { ButtonStyle, ComponentType } from 'discord.js';
import { fitEmbeds, LIMITS } from './limits.js';
import { articleLabel, articleLocation, plain } from './text.js';

/** Embed colours: an answer, an abstention. */
export const COLORS = { answer: 0x2f80ed, abstain: 0xf2c94c, info: 0x95a5a6 } as const;

/** Characters of quote/excerpt per source at most; fewer when many sources must share the 6,000 total. */
const EXCERPT_CHARS = 300;
/** Characters of the "Also published by …" line at most. */
const COPIES_CHARS = 200;
/** The shortest excerpt worth showing. */
const MIN_EXCERPT_CHARS = 60;
/** The quoted answer at most: two quoted sentences fit easily; room is left for the sources. */
const ANSWER_CHARS = 1800;

/** Custom ids of the buttons under an answer; each carries the answer id. */
export const BUTTON_IDS = {
  more: (answerId: string) => `more:${answerId}`,
  helpful: (answerId: string) => `fb:up:${answerId}`,
  notHelpful: (answerId: string) => `fb:down:${answerId}`,
} as const;

export interface RenderAnswerOptions {
  /** How many sources to list (1–10). */
  sources: number;
  /** Time taken, for the footer. */
  elapsedMs: number;
  /** Further passages (e.g. from a wider search) to fill `sources` beyond the answer's own. */
  extraPassages?: readonly Passage[];
}

/** A message body (embeds + buttons) ready for `reply`/`editReply`, within Discord's limits. */
export interface RenderedMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

/** The chunk ids an answer message shows, so "More sources" can skip them. */
export function shownChunkIds(answer: Answer, sources: number, extraPassages: readonly Passage[] = []): string[] {
  return selectSources(answer, sources, extraPassages).map((s) => s.chunkId);
}

/** A source entry for a passage that no quote cites. */
function passageItem(p: Passage): SourceItem {
  return {
    chunkId: p.chunkId,
    label: articleLabel(p),
    location: articleLocation(p),
    excerpt: p.text,
    markers: [],
    corroboratedBy: 0,
    copies: p.alsoPublishedBy ?? [],
  };
}

interface SourceItem {
  chunkId: string;
  label: string;
  location: string;
  excerpt: string;
  markers: number[];
  corroboratedBy: number;
  /** Other outlets' copies of the same story (core shows one copy per story). */
  copies: readonly PublishedCopy[];
}

/** Cited passages first (grouped by passage), then the best uncited passages up to `sources` in all. */
function selectSources(answer: Answer, sources: number, extraPassages: readonly Passage[] = []): SourceItem[] {
  const items: SourceItem[] = [];
  const byChunk = new Map<string, SourceItem>();
  const corroboration = (marker: number) =>
    answer.corroborations.filter((c) => c.markers.includes(marker)).reduce((n, c) => Math.max(n, c.count), 0);
  const candidates = [...answer.passages, ...extraPassages];
  // The passage a citation was quoted from: same offsets, else the one containing the quote.
  const passageOf = (c: Answer['citations'][number]): Passage | undefined =>
    candidates.find((p) => p.articleId === c.articleId && p.start === c.passageStart && p.end === c.passageEnd) ??
    candidates.find((p) => p.articleId === c.articleId && p.start <= c.start && p.end >= c.end);
  if (!answer.abstained) {
    for (const c of answer.citations) {
      const passage = passageOf(c);
      const chunkId = passage?.chunkId ?? `${c.articleId}@${c.passageStart}`;
      const existing = byChunk.get(chunkId);
      if (existing) {
        existing.markers.push(c.marker);
        existing.corroboratedBy = Math.max(existing.corroboratedBy, corroboration(c.marker));
        continue;
      }
      const item: SourceItem = {
        chunkId,
        label: articleLabel(c),
        location: articleLocation(c),
        excerpt: c.quote,
        markers: [c.marker],
        corroboratedBy: corroboration(c.marker),
        copies: c.alsoPublishedBy ?? [],
      };
      byChunk.set(chunkId, item);
      items.push(item);
    }
  }
  for (const p of candidates) {
    if (items.length >= sources) break;
    if (byChunk.has(p.chunkId)) continue;
    const item = passageItem(p);
    byChunk.set(p.chunkId, item);
    items.push(item);
  }
  // Every cited passage is listed even beyond `sources`: each [n] in the answer needs its source.
  return items;
}

function sourceField(item: SourceItem, excerptChars = EXCERPT_CHARS): APIEmbedField {
  const markers = item.markers.map((m) => `[${m}]`).join('');
  const name = `${markers ? `${markers} ` : ''}${item.label}`;
  const lines = [item.location, `> ${plain(item.excerpt, excerptChars)}`];
  if (item.corroboratedBy > 1) lines.push(`Reported by ${item.corroboratedBy} articles`);
  if (item.copies.length > 0) {
    const names = item.copies.map((c) => c.source ?? c.title ?? c.articleId).join(', ');
    lines.push(`Also published by ${plain(names, COPIES_CHARS)}`);
  }
  return { name: plain(name, LIMITS.fieldName), value: lines.join('\n') };
}

/** The "More sources" / helpful / not helpful buttons for an answer. */
export function answerButtons(answerId: string): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: 'More sources',
          custom_id: BUTTON_IDS.more(answerId),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Success,
          label: 'Helpful',
          emoji: { name: '👍' },
          custom_id: BUTTON_IDS.helpful(answerId),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          label: 'Not helpful',
          emoji: { name: '👎' },
          custom_id: BUTTON_IDS.notHelpful(answerId),
        },
      ],
    },
  ];
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** How a follow-up names the earlier question it took context from (the question follows). */
export const FOLLOW_UP_PREFIX = '↪ Following up on: ';
const CONTEXT_QUESTION_CHARS = 200;

/** The abstention wording: kind, and honest that the articles (not the world) lack an answer. */
export const ABSTAIN_TEXT =
  "I couldn't find a confident answer to that in the indexed articles. These are the closest passages I found; they may still help.";

/**
 * Renders an answer as one embed: the quoted answer with [n] markers (or a kind
 * abstention), its sources (title, date, link or file, an excerpt, "reported by N
 * articles" when corroborated) and the time taken; plus the answer's buttons. Pure.
 */
export function renderAnswer(answer: Answer, options: RenderAnswerOptions): RenderedMessage {
  const sources = Math.min(10, Math.max(1, Math.trunc(options.sources)));
  const items = selectSources(answer, sources, options.extraPassages);
  let description: string;
  if (answer.abstained || answer.answer === null) {
    description =
      items.length > 0 ? ABSTAIN_TEXT : "I couldn't find a confident answer to that in the indexed articles.";
  } else {
    const corroborated = answer.corroborations
      .filter((c) => c.count > 1)
      .map((c) => `${c.markers.map((m) => `[${m}]`).join('')} reported by ${c.count} articles`);
    // A "when" question is answered by its date first; the quotes back it up.
    const when = answer.when ? [`**When:** ${humanDate(answer.when)}`] : [];
    description = [...when, plain(answer.answer, ANSWER_CHARS), ...corroborated].join('\n');
  }
  // A follow-up says which earlier question it was read against, so a wrong guess is visible.
  if (answer.contextFrom) {
    description = `${FOLLOW_UP_PREFIX}${plain(answer.contextFrom.question, CONTEXT_QUESTION_CHARS)}\n${description}`;
  }
  const title = plain(answer.question, LIMITS.embedTitle);
  const footer = `Answered in ${formatMs(options.elapsedMs)} from the indexed articles`;
  // Share what is left of the 6,000 characters among the sources, so all of them fit.
  const perSource = Math.floor(
    (LIMITS.embedsTotal - title.length - description.length - footer.length) / Math.max(1, items.length),
  );
  const fields = items.map((item) => {
    const bare = sourceField(item, 0);
    const room = perSource - bare.name.length - bare.value.length - 1;
    return sourceField(item, Math.max(MIN_EXCERPT_CHARS, Math.min(EXCERPT_CHARS, room)));
  });
  const embed: APIEmbed = {
    title,
    description,
    color: answer.abstained ? COLORS.abstain : COLORS.answer,
    fields,
    footer: { text: footer },
  };
  return { embeds: fitEmbeds([embed]), components: answerButtons(answer.id) };
}

/** "More sources": passages not shown yet, as an embed. Pure. */
export function renderMorePassages(question: string, passages: readonly Passage[]): { embeds: APIEmbed[] } {
  if (passages.length === 0) {
    return {
      embeds: [
        {
          title: plain(question, LIMITS.embedTitle),
          description: 'No further passages: every relevant passage has been shown.',
          color: COLORS.info,
        },
      ],
    };
  }
  const fields = passages.map((p) => sourceField(passageItem(p)));
  return {
    embeds: fitEmbeds([{ title: plain(`More sources: ${question}`, LIMITS.embedTitle), color: COLORS.info, fields }]),
  };
}
