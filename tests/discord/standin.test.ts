/**
 * The stand-in itself, driven by the real discord.js client: if these fail, the bot's
 * end-to-end tests would prove nothing.
 */

import { checkMessageLimits, DiscordStandin } from '@newsrag/test-support/discord';
import { Client, Events, GatewayIntentBits, MessageFlags, Partials } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('Discord stand-in with the real discord.js client', () => {
  let standin: DiscordStandin;
  let client: Client;

  beforeAll(async () => {
    standin = await DiscordStandin.start();
    client = new Client({
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.MessageContent,
        GatewayIntentBits.DirectMessages,
      ],
      partials: [Partials.Channel],
      rest: { api: standin.apiUrl },
    });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        await interaction.editReply({
          content: `pong ${interaction.options.getString('word')}`,
          allowedMentions: { parse: [] },
        });
      } else if (interaction.isButton()) {
        await interaction.reply({ content: `clicked ${interaction.customId}`, allowedMentions: { parse: [] } });
      }
    });
    client.on(Events.MessageCreate, async (message) => {
      if (message.author.bot) return;
      if (message.content === 'too long') {
        // No allowed_mentions and over 2,000 characters: Discord answers 400.
        await message.channel.send({ content: 'x'.repeat(2001) }).catch(() => undefined);
        return;
      }
      await message.reply({ content: `echo ${message.content}`, allowedMentions: { parse: [], repliedUser: false } });
    });
    await client.login('any-non-empty-token');
    await ready;
  });

  afterAll(async () => {
    await client?.destroy();
    await standin?.stop();
  });

  it('serves the gateway handshake: READY then the guild with its channel', () => {
    expect(client.user?.id).toBe(standin.botUser.id);
    expect(client.application?.id).toBe(standin.applicationId);
    const guild = client.guilds.cache.get(standin.guildId);
    expect(guild?.channels.cache.has(standin.channelId)).toBe(true);
    expect(standin.gatewayReceived.some((p) => p.op === 2)).toBe(true);
  });

  it('records a deferred ephemeral reply and its edit', async () => {
    const sent = standin.sendCommand({ name: 'ping', options: [{ name: 'word', type: 3, value: 'hi' }] });
    const edit = await standin.waitFor((c) => c.method === 'PATCH' && c.path.includes(sent.token));
    const callback = standin.callsFor(sent).find((c) => c.path.endsWith('/callback'));
    expect(callback?.body).toMatchObject({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    expect(edit.path).toBe(`/webhooks/${standin.applicationId}/${sent.token}/messages/@original`);
    expect(edit.body).toMatchObject({ content: 'pong hi', allowed_mentions: { parse: [] } });
    expect(edit.receivedAt).toBeGreaterThan(sent.sentAt);
  });

  it('records a button reply', async () => {
    const sent = standin.sendButton({ customId: 'b:1' });
    const reply = await standin.waitFor((c) => c.path === `/interactions/${sent.id}/${sent.token}/callback`);
    expect(reply.body).toMatchObject({ type: 4, data: { content: 'clicked b:1' } });
  });

  it('delivers guild messages and DMs, and records replies', async () => {
    const guildMsg = standin.sendMessage({ content: 'hello' });
    const reply = await standin.waitFor(
      (c) =>
        c.method === 'POST' &&
        c.path === `/channels/${guildMsg.channelId}/messages` &&
        (c.body as { content?: string }).content === 'echo hello',
    );
    expect(reply.body).toMatchObject({ message_reference: { message_id: guildMsg.id } });
    expect(reply.authorized).toBe(true);
    const dm = standin.sendMessage({ content: 'in private', guildId: null });
    await standin.waitFor((c) => c.path === `/channels/${dm.channelId}/messages`);
  });

  it('answers 400 and records a violation when a message breaks the limits', async () => {
    const before = standin.violations.length;
    const msg = standin.sendMessage({ content: 'too long' });
    const call = await standin.waitFor((c) => c.path === `/channels/${msg.channelId}/messages` && c.status === 400);
    expect(call.violations).toEqual(expect.arrayContaining(['content: 2001 > 2000', 'allowed_mentions missing']));
    expect(standin.violations.length).toBe(before + 1);
    standin.violations.length = before;
  });

  it('checks embed limits, including the 6,000 character total', () => {
    const field = { name: 'n', value: 'v'.repeat(1024) };
    expect(checkMessageLimits({ embeds: [{ fields: Array(6).fill(field) }], allowed_mentions: { parse: [] } })).toEqual(
      ['embeds total: 6150 > 6000'],
    );
    expect(checkMessageLimits({ embeds: [{ title: 't'.repeat(257) }], allowed_mentions: {} })).toEqual([
      'embeds[0].title: 257 > 256',
    ]);
    expect(checkMessageLimits({ embeds: Array(11).fill({ description: 'd' }), allowed_mentions: {} })).toContain(
      'embeds: 11 > 10',
    );
    expect(checkMessageLimits({ content: 'ok', allowed_mentions: { parse: [] } })).toEqual([]);
  });
});
