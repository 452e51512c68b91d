/**
 * `bot:shards`' shard count with `NEWSRAG_SHARDS=auto`: asked from `GET /gateway/bot` of the
 * configured API (the stand-in here), never from discord.com as discord.js's own `auto` would.
 */
import { ShardCountError, shardCount } from '@newsrag/discord-bot/internals';
import { DiscordStandin } from '@newsrag/test-support/discord';
import { afterEach, describe, expect, it } from 'vitest';

const token = 'shard-count-token';
let standins: DiscordStandin[] = [];
afterEach(async () => {
  for (const s of standins) await s.stop();
  standins = [];
});

async function standinRecommending(shards: number): Promise<DiscordStandin> {
  const standin = await DiscordStandin.start({ shards });
  standins.push(standin);
  return standin;
}

describe('shardCount', () => {
  it('asks the configured API for auto, and nobody for a number', async () => {
    const standin = await standinRecommending(3);
    expect(await shardCount({ shards: 'auto', apiUrl: standin.apiUrl, token })).toBe(3);
    expect(standin.calls.map((c) => [c.method, c.path, c.authorized])).toEqual([['GET', '/gateway/bot', true]]);
    expect(await shardCount({ shards: 2, apiUrl: standin.apiUrl, token })).toBe(2);
    expect(standin.calls).toHaveLength(1);
  });

  it('refuses a recommendation above what one machine runs, saying how to split it', async () => {
    const standin = await standinRecommending(65);
    const error = await shardCount({ shards: 'auto', apiUrl: standin.apiUrl, token }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardCountError);
    expect(error).toMatchObject({ code: 'SHARD_COUNT' });
    expect((error as Error).message).toMatch(/recommends 65 shards: more than the 64 .*SHARDS and SHARD_COUNT/);
  });

  it('names the API and the way out when it cannot be asked', async () => {
    const standin = await standinRecommending(1);
    const apiUrl = standin.apiUrl;
    await standin.stop();
    standins = [];
    const error = await shardCount({ shards: 'auto', apiUrl, token }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SHARD_COUNT' });
    expect((error as Error).message).toContain(`Could not ask ${apiUrl}/gateway/bot`);
    expect((error as Error).message).toContain('set NEWSRAG_SHARDS to a number');
  });
});
