import { addFeed, allowList, checkUrl, NewsragError, readFeeds, removeFeed } from '@newsrag/core';
import { type AutocompleteInteraction, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { type BotContext, NO_MENTIONS } from '../context.js';
import { feedChoices } from '../render/choices.js';
import { truncate } from '../render/limits.js';
import { plain } from '../render/text.js';
import { mayReindex } from './reindex.js';

function reply(interaction: ChatInputCommandInteraction, content: string): Promise<unknown> {
  return interaction.reply({
    content: truncate(content, 2000),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

/**
 * `/feeds add|remove|list`: the feeds file the scheduled refresh reads, for the same people
 * who may `/reindex`. A URL must be http(s) and, when it is an address, a public one (or an
 * allowed host); names are checked again after DNS resolution at every fetch.
 */
export async function handleFeeds(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  if (!mayReindex(interaction.user.id, interaction.guildId, interaction.memberPermissions, ctx.config)) {
    await reply(interaction, 'Only the bot admins (the people who may /reindex) can manage feeds.');
    return;
  }
  const sub = interaction.options.getSubcommand();
  const file = ctx.config.feedsFile;
  try {
    if (sub === 'list') {
      const listed = await readFeeds(file);
      const all = [...new Set([...ctx.config.feeds, ...listed])];
      await reply(
        interaction,
        all.length === 0
          ? 'No feeds yet. Add one with /feeds add.'
          : [
              `${all.length} feed${all.length === 1 ? '' : 's'}, refreshed every ${ctx.config.refreshMinutes} min:`,
              ...all.map((f) => `- ${plain(f, 300)}`),
            ].join('\n'),
      );
      return;
    }
    const url = interaction.options.getString('url', true);
    if (sub === 'add') {
      checkUrl(url, allowList(ctx.config.allowHosts));
      const added = await addFeed(file, url);
      ctx.logger.info(`feed ${added ? 'added' : 'already listed'} by ${interaction.user.id}`);
      await reply(
        interaction,
        added ? `Added ${plain(url, 300)}; it is read at the next refresh.` : 'That feed is already listed.',
      );
    } else {
      const removed = await removeFeed(file, url);
      if (!removed && ctx.config.feeds.includes(url)) {
        await reply(interaction, 'That feed comes from the NEWSRAG_FEEDS setting; it can only be removed there.');
        return;
      }
      await reply(interaction, removed ? `Removed ${plain(url, 300)}.` : 'That feed was not listed.');
    }
  } catch (error) {
    if (!(error instanceof NewsragError)) throw error;
    await reply(interaction, `Not done (${error.code}): ${plain(error.message, 1800)}`);
  }
}

/**
 * Autocomplete of `/feeds remove url:`: the feeds file's feeds (those from `NEWSRAG_FEEDS`
 * cannot be removed here, so they are not offered), only for the people who may manage feeds,
 * since the list is theirs (`/feeds list` is too). An unreadable feeds file offers nothing;
 * the command itself then says why.
 */
export async function handleFeedsAutocomplete(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void> {
  if (!mayReindex(interaction.user.id, interaction.guildId, interaction.memberPermissions, ctx.config)) {
    await interaction.respond([]);
    return;
  }
  let feeds: string[] = [];
  try {
    feeds = await readFeeds(ctx.config.feedsFile);
  } catch (error) {
    if (!(error instanceof NewsragError)) throw error;
    ctx.logger.warn(`feeds autocomplete: ${error.message}`);
  }
  await interaction.respond(feedChoices(feeds, String(interaction.options.getFocused())));
}
