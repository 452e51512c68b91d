import {
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../question.js';
import { SETTING_KEYS } from '../settings/schema.js';

/** `/settings view|set|reset [channel]`: server only; the bot checks Manage Server itself (per server). */
function settingsCommand(): SlashCommandBuilder {
  const keys = SETTING_KEYS.map((k) => ({ name: k, value: k }));
  const command = new SlashCommandBuilder()
    .setName('settings')
    .setDescription("View or change the bot's settings for this server or a channel (Manage Server)")
    .setContexts([InteractionContextType.Guild])
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  command.addSubcommand((s) =>
    s
      .setName('view')
      .setDescription('Show the settings in force')
      .addChannelOption((o) => o.setName('channel').setDescription('A channel (default: the server)')),
  );
  command.addSubcommand((s) =>
    s
      .setName('set')
      .setDescription('Change one setting')
      .addStringOption((o) =>
        o
          .setName('key')
          .setDescription('Which setting')
          .setRequired(true)
          .addChoices(...keys),
      )
      .addStringOption((o) =>
        o
          .setName('value')
          .setDescription('The new value (collections and languages are suggested as you type)')
          .setRequired(true)
          .setMaxLength(1000)
          .setAutocomplete(true),
      )
      .addChannelOption((o) => o.setName('channel').setDescription('Only in this channel')),
  );
  command.addSubcommand((s) =>
    s
      .setName('reset')
      .setDescription('Back to the default')
      .addStringOption((o) =>
        o
          .setName('key')
          .setDescription('Which setting (default: all)')
          .addChoices(...keys),
      )
      .addChannelOption((o) => o.setName('channel').setDescription('Only in this channel')),
  );
  return command;
}

/** The slash commands, as registered with Discord by `npm run bot:register`. */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const contexts = [InteractionContextType.Guild, InteractionContextType.BotDM];
  const ask = new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question about the indexed news articles')
    .setContexts(contexts)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addStringOption((o) =>
      o.setName('question').setDescription('Your question').setRequired(true).setMaxLength(MAX_QUESTION_LENGTH),
    )
    .addIntegerOption((o) =>
      o.setName('sources').setDescription('How many sources to show (1-10)').setMinValue(1).setMaxValue(10),
    )
    .addBooleanOption((o) => o.setName('private').setDescription('Only you see the answer'))
    .addBooleanOption((o) => o.setName('thread').setDescription('Open a thread for follow-up questions'));
  const sources = new SlashCommandBuilder()
    .setName('sources')
    .setDescription('List the indexed articles')
    .setContexts(contexts)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addStringOption((o) =>
      o
        .setName('article')
        .setDescription('Show one article (start typing its title)')
        .setAutocomplete(true)
        .setMaxLength(100),
    );
  // Not restricted with default_member_permissions: configured admin ids may lack Manage Server;
  // the bot checks permissions itself.
  const reindex = new SlashCommandBuilder()
    .setName('reindex')
    .setDescription('Re-read the articles folder and update the index (Manage Server or bot admins)')
    .setContexts(contexts)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  const timeline = new SlashCommandBuilder()
    .setName('timeline')
    .setDescription('The dated events about a topic across the indexed articles, oldest first')
    .setContexts(contexts)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addStringOption((o) =>
      o.setName('topic').setDescription('e.g. Putin and Kim').setRequired(true).setMaxLength(MAX_QUESTION_LENGTH),
    );
  const feeds = feedsDefinition(contexts);
  // Server only; the bot checks Manage Server itself, as for /settings.
  const report = new SlashCommandBuilder()
    .setName('report')
    .setDescription('What this server asked: questions per day, unanswered ones, feedback (Manage Server)')
    .setContexts([InteractionContextType.Guild])
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addIntegerOption((o) =>
      o.setName('days').setDescription('Only the last n days (default: all logged)').setMinValue(1).setMaxValue(3650),
    );
  return [
    ask.toJSON(),
    sources.toJSON(),
    reindex.toJSON(),
    timeline.toJSON(),
    feeds.toJSON(),
    settingsCommand().toJSON(),
    report.toJSON(),
  ];
}

/** `/feeds add|remove|list`, for the people who may `/reindex` (checked by the bot). */
function feedsDefinition(contexts: InteractionContextType[]) {
  const url = (o: import('discord.js').SlashCommandStringOption) =>
    o.setName('url').setDescription('The feed URL (RSS, Atom or JSON Feed)').setRequired(true).setMaxLength(2000);
  return new SlashCommandBuilder()
    .setName('feeds')
    .setDescription('Manage the news feeds the bot refreshes (bot admins)')
    .setContexts(contexts)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addSubcommand((c) => c.setName('add').setDescription('Add a feed').addStringOption(url))
    .addSubcommand((c) =>
      c
        .setName('remove')
        .setDescription('Remove a feed')
        .addStringOption((o) => url(o).setAutocomplete(true)),
    )
    .addSubcommand((c) => c.setName('list').setDescription('List the feeds'));
}
