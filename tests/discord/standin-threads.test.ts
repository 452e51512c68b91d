/**
 * The stand-in's threads, shown with the real discord.js client: starting a thread from a
 * message (the thread has the message's id, THREAD_CREATE reaches the client), messages and
 * interactions in the thread channel, and Discord's refusals (a second thread on a message, a
 * message that is not there, a name over 100 characters, a thread inside a thread).
 */

import { DiscordStandin, snowflake } from '@newsrag/test-support/discord';
import { Client, DiscordAPIError, Events, GatewayIntentBits, type Message, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';

const NO_PINGS = { parse: [] as [] };
let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function start(): Promise<{ standin: DiscordStandin; client: Client }> {
  const standin = await DiscordStandin.start();
  cleanups.push(() => standin.stop());
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    rest: { api: standin.apiUrl },
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login('standin-threads-token');
  await ready;
  cleanups.push(() => client.destroy());
  return { standin, client };
}

async function posted(client: Client, standin: DiscordStandin): Promise<{ channel: TextChannel; message: Message }> {
  const channel = client.channels.cache.get(standin.channelId) as TextChannel;
  const message = await channel.send({ content: 'An answer', allowedMentions: NO_PINGS });
  return { channel, message };
}

describe('stand-in threads', () => {
  it('starts a thread from a message, as Discord does, and the client sees messages and interactions in it', async () => {
    const { standin, client } = await start();
    const { message } = await posted(client, standin);
    const created = new Promise((resolve) => client.once(Events.ThreadCreate, resolve));
    const thread = await message.startThread({ name: 'Follow-ups', autoArchiveDuration: 1440 });
    await created;
    expect(thread.id).toBe(message.id);
    expect(thread.isThread()).toBe(true);
    expect(thread.parentId).toBe(standin.channelId);
    expect(thread.name).toBe('Follow-ups');
    expect(standin.threads.map((t) => t.id)).toEqual([message.id]);

    const inThread = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
    standin.sendMessage({ channelId: thread.id, content: 'a question in the thread' });
    const m = await inThread;
    expect(m.channel.isThread()).toBe(true);
    expect(m.channelId).toBe(thread.id);

    const interaction = new Promise<boolean>((resolve) =>
      client.once(Events.InteractionCreate, (i) =>
        resolve(i.channel?.isThread() === true && i.channelId === thread.id),
      ),
    );
    standin.sendCommand({ name: 'ask', channelId: thread.id });
    expect(await interaction).toBe(true);

    const reply = await thread.send({ content: 'An answer in the thread', allowedMentions: NO_PINGS });
    expect(reply.channelId).toBe(thread.id);
  });

  it("refuses what Discord refuses, with Discord's codes", async () => {
    const { standin, client } = await start();
    const { channel, message } = await posted(client, standin);
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return 0;
      } catch (error) {
        expect(error).toBeInstanceOf(DiscordAPIError);
        return (error as DiscordAPIError).code;
      }
    };
    expect(await code(message.startThread({ name: 'x'.repeat(101) }))).toBe(50035);
    const thread = await message.startThread({ name: 'ok' });
    expect(await code(message.startThread({ name: 'again' }))).toBe(160004);
    expect(await code(channel.threads.create({ name: 'x', startMessage: snowflake() }))).toBe(10008);
    const inThread = await thread.send({ content: 'in the thread', allowedMentions: NO_PINGS });
    expect(
      await code(
        client.rest.post(`/channels/${thread.id}/messages/${inThread.id}/threads`, { body: { name: 'nested' } }),
      ),
    ).toBe(50024);
    expect(standin.refusals.map((r) => r.code)).toEqual([50035, 160004, 10008, 50024]);
  });
});
