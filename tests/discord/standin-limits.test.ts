/**
 * The stand-in's rate limits and interaction-token rules, each shown with the real
 * discord.js client or a real `REST` from @discordjs/rest. Windows are shortened where a
 * rule would otherwise make the test wait for seconds; the global window stays at 1 s,
 * the length discord.js assumes. Assertions are on counts, headers and orderings only.
 */

import {
  bucketFor,
  DISCORD_RATE_LIMITS,
  DiscordStandin,
  type StandinOptions,
  snowflake,
} from '@newsrag/test-support/discord';
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type RateLimitData,
  RateLimitError,
  REST,
  RESTEvents,
  Routes,
  type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';

const TOKEN = 'standin-limits-token';
const NO_PINGS = { parse: [] as [] };

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function startStandin(options: StandinOptions = {}): Promise<DiscordStandin> {
  const standin = await DiscordStandin.start(options);
  cleanups.push(() => standin.stop());
  return standin;
}

/** The real discord.js client, logged in to the stand-in, running `onInteraction`. */
async function startClient(
  standin: DiscordStandin,
  onInteraction: (i: Interaction) => Promise<void> = async () => {},
): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standin.apiUrl } });
  client.on(Events.InteractionCreate, (i) => {
    void onInteraction(i);
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(TOKEN);
  await ready;
  cleanups.push(() => client.destroy());
  return client;
}

/** A bare REST client of @discordjs/rest, as a second process of the same bot would have. */
function restFor(standin: DiscordStandin, options: ConstructorParameters<typeof REST>[0] = {}): REST {
  return new REST({ api: standin.apiUrl, ...options }).setToken(TOKEN);
}

/** A promise and its resolver, for a handler to report what happened. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('per-route buckets', () => {
  it('sends X-RateLimit-* headers, and the real client paces itself by them: no 429', async () => {
    const standin = await startStandin({ rateLimits: { channelMessages: { limit: 5, windowMs: 300 } } });
    const client = await startClient(standin);
    const channel = (await client.channels.fetch(standin.channelId)) as TextChannel;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => channel.send({ content: `m${i}`, allowedMentions: NO_PINGS })),
    );
    const sends = standin.calls.filter(
      (c) => c.method === 'POST' && c.path === `/channels/${standin.channelId}/messages`,
    );
    expect(sends).toHaveLength(12);
    expect(sends.every((c) => c.status === 200)).toBe(true);
    expect(standin.rateLimited).toEqual([]);
    const first = sends[0]?.responseHeaders ?? {};
    expect(first['X-RateLimit-Limit']).toBe('5');
    expect(first['X-RateLimit-Bucket']).toMatch(/^[0-9a-f]{16}$/);
    expect(Number(first['X-RateLimit-Reset-After'])).toBeGreaterThan(0);
    expect(Number(first['X-RateLimit-Reset-After'])).toBeLessThanOrEqual(0.3);
    expect(Number(first['X-RateLimit-Reset'])).toBeGreaterThan(Date.now() / 1000 - 60);
    // 12 messages in windows of 5: the remaining counts run down and start again, in order.
    expect(sends.map((c) => c.responseHeaders['X-RateLimit-Remaining'])).toEqual([
      '4',
      '3',
      '2',
      '1',
      '0',
      '4',
      '3',
      '2',
      '1',
      '0',
      '4',
      '3',
    ]);
  });

  it('answers 429 with retry_after, Retry-After and scope "user" when a bucket is spent; the client retries', async () => {
    const standin = await startStandin({ rateLimits: { channelMessages: { limit: 2, windowMs: 400 } } });
    // Two REST clients do not share what they learnt: the second one walks into the spent bucket.
    const a = restFor(standin);
    const b = restFor(standin);
    const limited: RateLimitData[] = [];
    b.on(RESTEvents.RateLimited, (info) => limited.push(info));
    const route = Routes.channelMessages(standin.channelId);
    const body = { content: 'x', allowed_mentions: NO_PINGS };
    await a.post(route, { body });
    await a.post(route, { body });
    await b.post(route, { body });
    const hit = standin.rateLimited[0];
    if (!hit) throw new Error('expected the stand-in to answer 429 once');
    expect(hit.responseHeaders).toMatchObject({ 'X-RateLimit-Scope': 'user', 'X-RateLimit-Remaining': '0' });
    expect(hit.responseHeaders['X-RateLimit-Global']).toBeUndefined();
    expect(Number(hit.responseHeaders['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(hit.errorBody).toMatchObject({ message: 'You are being rate limited.', global: false });
    const retryAfter = (hit.errorBody as { retry_after: number }).retry_after;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(0.4);
    expect(limited.some((l) => !l.global && l.scope === 'user')).toBe(true);
    // The retry came after the 429 and was served.
    const sends = standin.calls.filter((c) => c.path === `/channels/${standin.channelId}/messages`);
    expect(sends.map((c) => c.status)).toEqual([200, 200, 429, 200]);
  });

  it('keeps buckets per top-level resource: another channel is not limited', async () => {
    const standin = await startStandin({ rateLimits: { channelMessages: { limit: 1, windowMs: 60_000 } } });
    const rest = restFor(standin, { rejectOnRateLimit: () => true });
    const body = { content: 'x', allowed_mentions: NO_PINGS };
    await rest.post(Routes.channelMessages(standin.channelId), { body });
    await rest.post(Routes.channelMessages(snowflake()), { body });
    await expect(rest.post(Routes.channelMessages(standin.channelId), { body })).rejects.toBeInstanceOf(RateLimitError);
    expect(standin.calls.map((c) => `${c.path} ${c.status}`)).toEqual([
      `/channels/${standin.channelId}/messages 200`,
      expect.stringMatching(/^\/channels\/\d+\/messages 200$/),
      `/channels/${standin.channelId}/messages 429`,
    ]);
  });
});

describe('the global limit', () => {
  const typing = (rest: REST, n: number) =>
    Promise.all(Array.from({ length: n }, () => rest.post(Routes.channelTyping(snowflake()))));

  it('refuses the 51st bot request in a second with 429, X-RateLimit-Global and scope "global"', async () => {
    const standin = await startStandin();
    // A client told to ignore the global limit bursts 60 requests over 60 channels (60 buckets).
    const rest = restFor(standin, { globalRequestsPerSecond: 1_000 });
    const limited: RateLimitData[] = [];
    rest.on(RESTEvents.RateLimited, (info) => limited.push(info));
    await typing(rest, 60);
    const refused = standin.rateLimited;
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.responseHeaders).toMatchObject({ 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' });
      expect(r.errorBody).toMatchObject({ global: true, message: 'You are being rate limited.' });
      expect((r.errorBody as { retry_after: number }).retry_after).toBeGreaterThan(0);
    }
    expect(limited.some((l) => l.global)).toBe(true);
    // discord.js waited and retried: all 60 were served, never more than 50 in one window.
    expect(standin.calls.filter((c) => c.status === 204)).toHaveLength(60);
    expect(Math.max(...standin.rateLimiter.globalWindows.map((w) => w.served))).toBe(50);
  });

  it('a client at its default 50 requests/s is never refused', async () => {
    const standin = await startStandin();
    await typing(restFor(standin), 120);
    expect(standin.rateLimited).toEqual([]);
    expect(standin.calls.filter((c) => c.status === 204)).toHaveLength(120);
    expect(standin.rateLimiter.globalWindows.every((w) => w.served <= 50)).toBe(true);
  });

  it('does not bind interaction callbacks and webhooks: they are served while the bot is globally limited', async () => {
    // A global window of a minute: once spent, it stays spent for the whole test.
    const standin = await startStandin({ rateLimits: { global: { limit: 50, windowMs: 60_000 } } });
    const done = deferred<void>();
    await startClient(standin, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply({ content: 'answered', allowedMentions: NO_PINGS });
      await i.followUp({ content: 'and more', allowedMentions: NO_PINGS });
      done.resolve();
    });
    const probe = restFor(standin, { globalRequestsPerSecond: 1_000, rejectOnRateLimit: () => true });
    let served = 0;
    for (; served < 100; served++) {
      const error = await probe.post(Routes.channelTyping(snowflake())).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error) {
        expect(error).toBeInstanceOf(RateLimitError);
        expect((error as RateLimitError).global).toBe(true);
        break;
      }
    }
    expect(served).toBeLessThan(50); // the client's login took its share of the window
    const sent = standin.sendCommand({ name: 'ask' });
    await done.promise;
    const answers = standin.callsFor(sent);
    expect(answers.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 204', 'PATCH 200', 'POST 200']);
    // …while a bot-authenticated request is still refused.
    await expect(probe.post(Routes.channelTyping(snowflake()))).rejects.toBeInstanceOf(RateLimitError);
  });
});

describe('interaction endpoints', () => {
  it('keep their own bucket per interaction token, which the client respects', async () => {
    const standin = await startStandin({ rateLimits: { interactionWebhook: { limit: 5, windowMs: 300 } } });
    const done = deferred<void>();
    await startClient(standin, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await Promise.all(
        Array.from({ length: 8 }, (_, n) => i.followUp({ content: `part ${n}`, allowedMentions: NO_PINGS })),
      );
      done.resolve();
    });
    const sent = standin.sendCommand({ name: 'ask' });
    await done.promise;
    const followUps = standin.callsFor(sent).filter((c) => c.path === `/webhooks/${sent.applicationId}/${sent.token}`);
    expect(followUps).toHaveLength(8);
    expect(followUps.every((c) => c.status === 200)).toBe(true);
    expect(standin.rateLimited).toEqual([]);
    expect(followUps.map((c) => c.responseHeaders['X-RateLimit-Remaining'])).toEqual([
      '4',
      '3',
      '2',
      '1',
      '0',
      '4',
      '3',
      '2',
    ]);
  });

  it('refuse an initial response after the 3-second deadline with 404 Unknown interaction (10062)', async () => {
    const standin = await startStandin();
    const outcome = deferred<unknown>();
    await startClient(standin, async (i) => {
      if (!i.isChatInputCommand()) return;
      standin.clock.advance(3_001); // the handler "took" just over three seconds
      outcome.resolve(
        await i.deferReply().then(
          () => 'acknowledged',
          (e: unknown) => e,
        ),
      );
    });
    const sent = standin.sendCommand({ name: 'ask' });
    const error = await outcome.promise;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 404, code: 10062 });
    expect(standin.interactions.unacknowledged().map((r) => r.id)).toEqual([sent.id]);
    // The token died with the missed deadline.
    const rest = restFor(standin);
    await expect(
      rest.patch(Routes.webhookMessage(sent.applicationId, sent.token), { body: { content: 'late' }, auth: false }),
    ).rejects.toMatchObject({ status: 401, code: 50027 });
  });

  it('accept one initial response only: a second one is 400 (40060)', async () => {
    const standin = await startStandin();
    await startClient(standin);
    const sent = standin.sendCommand({ name: 'ask' });
    const rest = restFor(standin);
    const callback = Routes.interactionCallback(sent.id, sent.token);
    await rest.post(callback, { body: { type: 5 }, auth: false });
    await expect(rest.post(callback, { body: { type: 5 }, auth: false })).rejects.toMatchObject({
      status: 400,
      code: 40060,
    });
    expect(standin.interactions.byId.get(sent.id)?.responseType).toBe(5);
  });

  it('answer an autocomplete result over the choice limits 400 Invalid Form Body (50035); a valid one is accepted', async () => {
    const standin = await startStandin();
    const outcomes: unknown[] = [];
    const done = deferred<void>();
    await startClient(standin, async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = String(i.options.getFocused());
      const many = Array.from({ length: typed === 'valid' ? 25 : 26 }, (_, n) => ({ name: `c${n}`, value: `c${n}` }));
      const choices = typed === 'long' ? [{ name: 'x', value: 'v'.repeat(101) }] : many;
      outcomes.push(
        await i.respond(choices).then(
          () => 'accepted',
          (e: unknown) => e,
        ),
      );
      if (outcomes.length === 3) done.resolve();
    });
    for (const typed of ['valid', 'too many', 'long'])
      standin.sendInteraction({
        type: 4,
        data: {
          id: snowflake(),
          name: 'sources',
          type: 1,
          options: [{ name: 'article', type: 3, value: typed, focused: true }],
        },
      });
    await done.promise;
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
    const refused = outcomes.filter((o) => o !== 'accepted');
    expect(refused).toHaveLength(2);
    for (const e of refused) {
      expect(e).toBeInstanceOf(DiscordAPIError);
      expect(e).toMatchObject({ status: 400, code: 50035 });
    }
    expect(standin.violations.flatMap((v) => v.problems)).toEqual(
      expect.arrayContaining(['data.choices: 26 > 25', expect.stringMatching(/^data\.choices\[0\]\.value: must be/)]),
    );
  });

  it('let the token edit and follow up for 15 minutes, then answer 401 Invalid Webhook Token (50027)', async () => {
    const standin = await startStandin();
    const outcome = deferred<unknown[]>();
    await startClient(standin, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      standin.clock.advance(14 * 60_000);
      await i.editReply({ content: 'after 14 minutes', allowedMentions: NO_PINGS });
      standin.clock.advance(60_000 + 1);
      const late = await Promise.all([
        i.editReply({ content: 'after 15', allowedMentions: NO_PINGS }).catch((e: unknown) => e),
        i.followUp({ content: 'after 15', allowedMentions: NO_PINGS }).catch((e: unknown) => e),
      ]);
      outcome.resolve(late);
    });
    const sent = standin.sendCommand({ name: 'ask' });
    const late = await outcome.promise;
    for (const error of late) expect(error).toMatchObject({ status: 401, code: 50027 });
    expect(standin.callsFor(sent).map((c) => c.status)).toEqual([204, 200, 401, 401]);
  });

  it('refuse a webhook token the stand-in never issued with 404 Unknown Webhook (10015)', async () => {
    const standin = await startStandin();
    await expect(
      restFor(standin).post(Routes.webhook(standin.applicationId, 'not-a-token'), {
        body: { content: 'x' },
        auth: false,
      }),
    ).rejects.toMatchObject({ status: 404, code: 10015 });
  });
});

describe('bucketFor', () => {
  it("classifies routes by Discord's top-level resources, and exempts only interaction endpoints", () => {
    const app = snowflake();
    const channel = snowflake();
    expect(bucketFor('POST', `/interactions/${app}/tok/callback`, DISCORD_RATE_LIMITS)).toMatchObject({
      major: app,
      exemptFromGlobal: true,
      rule: DISCORD_RATE_LIMITS.interactionCallback,
    });
    expect(bucketFor('PATCH', `/webhooks/${app}/tok/messages/@original`, DISCORD_RATE_LIMITS)).toMatchObject({
      route: 'PATCH /webhooks/:id/:token/messages/@original',
      major: `${app}/tok`,
      exemptFromGlobal: true,
      rule: DISCORD_RATE_LIMITS.interactionWebhook,
    });
    expect(bucketFor('POST', `/channels/${channel}/messages`, DISCORD_RATE_LIMITS)).toMatchObject({
      route: 'POST /channels/:id/messages',
      major: `channels/${channel}`,
      exemptFromGlobal: false,
      rule: DISCORD_RATE_LIMITS.channelMessages,
    });
    expect(bucketFor('GET', '/users/@me', DISCORD_RATE_LIMITS)).toMatchObject({
      major: 'global',
      exemptFromGlobal: false,
    });
  });
});
