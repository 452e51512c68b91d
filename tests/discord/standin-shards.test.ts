/**
 * The stand-in's sharding, driven by real discord.js clients: `/gateway/bot` recommends the
 * configured count, each client identifies as its own shard, a guild's GUILD_CREATE, messages
 * and interactions reach only the session of shard `(guild_id >> 22) % count` (DMs: shard 0),
 * and what Discord refuses is closed with 4010 (invalid shard) or 4011 (sharding required).
 */

import {
  CLOSE_CODES,
  DiscordStandin,
  guildOnShard,
  parseShard,
  type StandinOptions,
  shardOf,
} from '@newsrag/test-support/discord';
import {
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  Partials,
  REST,
  Routes,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const TOKEN = 'standin-shards-token';

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function startStandin(options: StandinOptions): Promise<DiscordStandin> {
  const standin = await DiscordStandin.start(options);
  cleanups.push(() => standin.stop());
  return standin;
}

interface ShardClient {
  client: Client;
  /** Interaction ids and message ids this client was given, in order. */
  interactions: string[];
  messages: string[];
}

/** A real discord.js client logged in as `shards` (discord.js's own option), answering every command. */
async function startClient(standin: DiscordStandin, shardOptions: Pick<ClientOptions, 'shards' | 'shardCount'>) {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    rest: { api: standin.apiUrl },
    ...shardOptions,
  });
  const seen: ShardClient = { client, interactions: [], messages: [] };
  client.on(Events.InteractionCreate, async (i: Interaction) => {
    seen.interactions.push(i.id);
    if (!i.isChatInputCommand()) return;
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    await i.editReply({
      content: `shard ${client.ws.shards.map((s) => s.id).join(',')}`,
      allowedMentions: { parse: [] },
    });
  });
  client.on(Events.MessageCreate, (m: Message) => {
    seen.messages.push(m.id);
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(TOKEN);
  await ready;
  cleanups.push(() => client.destroy());
  return seen;
}

/** Resolves once `client` has been given the message `id`. */
function messageSeen(seen: ShardClient, id: string): Promise<void> {
  if (seen.messages.includes(id)) return Promise.resolve();
  return new Promise((resolve) => {
    const check = (m: Message) => {
      if (m.id !== id) return;
      seen.client.off(Events.MessageCreate, check);
      resolve();
    };
    seen.client.on(Events.MessageCreate, check);
  });
}

/** The close code the stand-in ends a raw gateway connection with after this IDENTIFY. */
async function closeCodeAfterIdentify(standin: DiscordStandin, shard: unknown): Promise<number> {
  const ws = new WebSocket(standin.gatewayUrl);
  cleanups.push(async () => ws.terminate());
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve) => ws.once('message', () => resolve())); // HELLO
  ws.send(JSON.stringify({ op: 2, d: { token: TOKEN, intents: 1, properties: {}, shard } }));
  return closed;
}

describe('stand-in sharding with real discord.js clients', () => {
  it('recommends the configured shard count from /gateway/bot (1 by default)', async () => {
    const two = await startStandin({ shards: 2 });
    const one = await startStandin({});
    const rest = (s: DiscordStandin) => new REST({ api: s.apiUrl }).setToken(TOKEN);
    expect(await rest(two).get(Routes.gatewayBot())).toMatchObject({ url: two.gatewayUrl, shards: 2 });
    expect(await rest(one).get(Routes.gatewayBot())).toMatchObject({ shards: 1 });
  });

  it('routes each guild’s GUILD_CREATE, interactions and messages to its shard’s session only; DMs to shard 0', async () => {
    const a = guildOnShard('Shard zero desk', 0, 2);
    const b = guildOnShard('Shard one desk', 1, 2);
    expect([shardOf(a.id, 2), shardOf(b.id, 2)]).toEqual([0, 1]);
    const standin = await startStandin({ shards: 2, guilds: [a, b] });
    const zero = await startClient(standin, { shards: 0, shardCount: 2 });
    const one = await startClient(standin, { shards: 1, shardCount: 2 });

    // One session per shard, each told its shard in READY and given its own guild only.
    expect(standin.sessions.map((s) => [s.shard, s.guildIds])).toEqual([
      [[0, 2], [a.id]],
      [[1, 2], [b.id]],
    ]);
    expect([...zero.client.guilds.cache.keys()]).toEqual([a.id]);
    expect([...one.client.guilds.cache.keys()]).toEqual([b.id]);

    const channelA = a.channels[0]?.id as string;
    const channelB = b.channels[0]?.id as string;
    const inA = standin.sendCommand({ name: 'ping', guildId: a.id, channelId: channelA });
    const inB = standin.sendCommand({ name: 'ping', guildId: b.id, channelId: channelB });
    const inDm = standin.sendCommand({ name: 'ping', guildId: null });
    const edited = (sent: { token: string }) =>
      standin.waitFor((c) => c.method === 'PATCH' && c.status === 200 && c.path.includes(sent.token));
    const [editA, editB, editDm] = await Promise.all([edited(inA), edited(inB), edited(inDm)]);
    // Each was answered by the only client that knew its token: the one of its shard.
    expect(editA.body).toMatchObject({ content: 'shard 0' });
    expect(editB.body).toMatchObject({ content: 'shard 1' });
    expect(editDm.body).toMatchObject({ content: 'shard 0' });
    expect(zero.interactions).toEqual([inA.id, inDm.id]);
    expect(one.interactions).toEqual([inB.id]);
    expect(standin.recipientsOf(inA).map((s) => s.shard[0])).toEqual([0]);
    expect(standin.recipientsOf(inB).map((s) => s.shard[0])).toEqual([1]);
    expect(standin.recipientsOf(inDm).map((s) => s.shard[0])).toEqual([0]);

    const msgB = standin.sendMessage({ content: 'hello b', guildId: b.id, channelId: channelB });
    const msgDm = standin.sendMessage({ content: 'hello dm', guildId: null });
    await Promise.all([messageSeen(one, msgB.id), messageSeen(zero, msgDm.id)]);
    // What each session was sent is the stand-in's record; the clients got exactly that.
    const sentTo = (shard: number) =>
      standin.sessions.find((s) => s.shard[0] === shard)?.dispatched.filter((d) => d.t === 'MESSAGE_CREATE');
    expect(sentTo(0)?.map((d) => d.id)).toEqual([msgDm.id]);
    expect(sentTo(1)?.map((d) => [d.id, d.guildId])).toEqual([[msgB.id, b.id]]);
    expect(one.messages).toEqual([msgB.id]);
    expect(zero.messages).toEqual([msgDm.id]);

    // Sequence numbers are per session: each counts its own dispatches from READY's 1.
    for (const session of standin.sessions) {
      expect(session.dispatched.map((d) => d.s)).toEqual(session.dispatched.map((_, i) => i + 2));
    }
    expect(standin.interactions.unacknowledged()).toEqual([]);
  });

  it('gives one client with shards: "auto" a session per recommended shard', async () => {
    // discord.js identifies its shards 5 s apart (max_concurrency 1): two keep the test short.
    const a = guildOnShard('A', 0, 2);
    const b = guildOnShard('B', 1, 2);
    const standin = await startStandin({ shards: 2, guilds: [a, b] });
    const auto = await startClient(standin, { shards: 'auto' });
    expect(standin.sessions.map((s) => s.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(new Set(auto.client.guilds.cache.keys())).toEqual(new Set([a.id, b.id]));
    const inB = standin.sendCommand({ name: 'ping', guildId: b.id, channelId: b.channels[0]?.id as string });
    const edit = await standin.waitFor(
      (call) => call.method === 'PATCH' && call.status === 200 && call.path.includes(inB.token),
    );
    expect(edit.body).toMatchObject({ content: 'shard 0,1' });
    expect(standin.recipientsOf(inB).map((s) => s.shard)).toEqual([[1, 2]]);
  });

  it('closes a session that would hold more guilds than a shard may with 4011 (sharding required)', async () => {
    const guilds = [guildOnShard('A', 0, 2), guildOnShard('B', 1, 2)];
    const standin = await startStandin({ shards: 2, guilds, maxGuildsPerSession: 1 });
    // Unsharded (discord.js's default [0, 1]): both guilds in one session, one too many.
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standin.apiUrl } });
    cleanups.push(() => client.destroy());
    const refused = new Promise<Error>((resolve) => client.once(Events.ShardError, (error) => resolve(error)));
    void client.login(TOKEN).catch(() => undefined);
    expect((await refused).message).toBe('Sharding is required');
    expect(standin.sessions).toEqual([]);
    // Sharded, each session holds one guild: accepted.
    await startClient(standin, { shards: 0, shardCount: 2 });
    await startClient(standin, { shards: 1, shardCount: 2 });
    expect(standin.sessions.map((s) => s.guildIds.length)).toEqual([1, 1]);
  });

  it('closes an IDENTIFY with an invalid shard with 4010', async () => {
    const standin = await startStandin({ shards: 2 });
    expect(await closeCodeAfterIdentify(standin, [2, 2])).toBe(CLOSE_CODES.invalidShard);
    expect(await closeCodeAfterIdentify(standin, [-1, 2])).toBe(CLOSE_CODES.invalidShard);
    expect(await closeCodeAfterIdentify(standin, [0, 0])).toBe(CLOSE_CODES.invalidShard);
    expect(await closeCodeAfterIdentify(standin, ['0', 2])).toBe(CLOSE_CODES.invalidShard);
    expect(standin.sessions).toEqual([]);
    expect(parseShard(undefined)).toEqual([0, 1]);
    expect(parseShard([1, 2])).toEqual([1, 2]);
  });
});
