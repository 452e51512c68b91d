import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { renderSourcesPage } from '../render/sources.js';

/** `/sources`: the first page of indexed articles. */
export async function handleSources(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.reply({ ...renderSourcesPage(ctx.kb.articles(), 0), allowedMentions: NO_MENTIONS });
}

/** Prev/Next under `/sources`: replaces the message with the requested page. */
export async function handleSourcesPage(ctx: BotContext, interaction: ButtonInteraction, page: number): Promise<void> {
  await interaction.update({ ...renderSourcesPage(ctx.kb.articles(), page), allowedMentions: NO_MENTIONS });
}
