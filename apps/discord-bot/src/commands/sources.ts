import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
} from 'discord.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { articleChoices, renderArticle, renderSourcesPage } from '../render/sources.js';

/**
 * `/sources [article]`: the first page of indexed articles, or one article (chosen by the
 * autocomplete, which gives its id; a typed title that matches one exactly works too).
 */
export async function handleSources(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const wanted = interaction.options.getString('article');
  if (wanted === null) {
    await interaction.reply({ ...renderSourcesPage(ctx.kb.articles(), 0), allowedMentions: NO_MENTIONS });
    return;
  }
  const articles = ctx.kb.articles();
  const lower = wanted.trim().toLowerCase();
  const article =
    articles.find((a) => a.id === wanted) ?? articles.find((a) => (a.meta.title ?? '').trim().toLowerCase() === lower);
  if (!article) {
    await interaction.reply({
      content: 'No indexed article has that title or id: pick one from the list as you type.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  await interaction.reply({ ...renderArticle(article), allowedMentions: NO_MENTIONS });
}

/** Autocomplete of `/sources article:` with the indexed articles' titles. */
export async function handleSourcesAutocomplete(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void> {
  await interaction.respond(articleChoices(ctx.kb.articles(), String(interaction.options.getFocused())));
}

/** Prev/Next under `/sources`: replaces the message with the requested page. */
export async function handleSourcesPage(ctx: BotContext, interaction: ButtonInteraction, page: number): Promise<void> {
  await interaction.update({ ...renderSourcesPage(ctx.kb.articles(), page), allowedMentions: NO_MENTIONS });
}
