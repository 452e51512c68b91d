import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { handleSourcesPage } from '../commands/sources.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { cooldownMessage } from '../cooldown.js';
import type { Vote } from '../feedback.js';
import { renderMorePassages } from '../render/answer-embed.js';

/** Passages added per "More sources" click. */
const MORE_STEP = 5;
/** The most passages a search returns (core's limit on k): "More sources" stops there. */
export const MAX_MORE_PASSAGES = 100;

/** A parsed button custom id. */
export type ButtonAction =
  | { kind: 'more'; answerId: string }
  | { kind: 'feedback'; answerId: string; vote: Vote }
  | { kind: 'sources-page'; page: number }
  | { kind: 'unknown' };

/** Parses the custom ids made by the renderers. Pure. */
export function parseButtonId(customId: string): ButtonAction {
  let m = /^more:(.+)$/.exec(customId);
  if (m?.[1]) return { kind: 'more', answerId: m[1] };
  m = /^fb:(up|down):(.+)$/.exec(customId);
  if (m?.[1] && m[2]) return { kind: 'feedback', answerId: m[2], vote: m[1] === 'up' ? 'helpful' : 'not_helpful' };
  m = /^src:(-?\d+)$/.exec(customId);
  if (m?.[1]) return { kind: 'sources-page', page: Number(m[1]) };
  return { kind: 'unknown' };
}

/**
 * How many passages "More sources" searches for after `shown` were shown: five more, at
 * most the 100 a search returns; null once 100 have been shown (nothing further). Pure.
 */
export function moreSearchK(shown: number): number | null {
  if (shown >= MAX_MORE_PASSAGES) return null;
  return Math.min(MAX_MORE_PASSAGES, shown + MORE_STEP);
}

/** Routes a button click: "More sources", a vote, or a `/sources` page. */
export async function handleButton(ctx: BotContext, interaction: ButtonInteraction): Promise<void> {
  const action = parseButtonId(interaction.customId);
  if (action.kind === 'more' || action.kind === 'feedback') {
    // Clicks cost a search or a file write: a per-user cooldown, like questions have.
    const turn = ctx.buttonCooldown.take(interaction.user.id);
    if (!turn.ok) {
      await interaction.reply({
        content: cooldownMessage(turn.retryAfterMs).replace('asking again', 'clicking again'),
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
  }
  switch (action.kind) {
    case 'more':
      return handleMore(ctx, interaction, action.answerId);
    case 'feedback':
      return handleFeedback(ctx, interaction, action.answerId, action.vote);
    case 'sources-page':
      return handleSourcesPage(ctx, interaction, action.page);
    default:
      await interaction.reply({
        content: 'This button is no longer supported.',
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
  }
}

async function handleMore(ctx: BotContext, interaction: ButtonInteraction, answerId: string): Promise<void> {
  const remembered = ctx.answers.get(answerId);
  if (!remembered) {
    await interaction.reply({
      content: 'I no longer remember that answer (it is too old, or I restarted). Please ask the question again.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  // Searches are capped at 100 passages: past that every relevant passage has been shown.
  const k = Math.min(MAX_MORE_PASSAGES, remembered.shown.size + MORE_STEP);
  const passages =
    remembered.shown.size >= MAX_MORE_PASSAGES
      ? []
      : await ctx.kb.search(remembered.query ?? remembered.question, {
          k,
          perArticleCap: 0,
          ...(remembered.filter ? { filter: remembered.filter } : {}),
        });
  const fresh = passages.filter((p) => !remembered.shown.has(p.chunkId)).slice(0, MORE_STEP);
  for (const p of fresh) remembered.shown.add(p.chunkId);
  await interaction.editReply({ ...renderMorePassages(remembered.question, fresh), allowedMentions: NO_MENTIONS });
}

async function handleFeedback(
  ctx: BotContext,
  interaction: ButtonInteraction,
  answerId: string,
  vote: Vote,
): Promise<void> {
  const remembered = ctx.answers.get(answerId);
  // A private answer's question stays private: only the vote is kept.
  const question = remembered && !remembered.private ? remembered.question : null;
  await ctx.feedback.record({ answerId, question, userId: interaction.user.id, vote });
  await interaction.reply({
    content: vote === 'helpful' ? 'Thanks! Glad it helped.' : 'Thanks for telling me; this helps improve the answers.',
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}
