import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  BotConfigError,
  describeConfig,
  describeShard,
  isLeadProcess,
  loadConfig,
  MAX_SHARD_PROCESSES,
  parseConfig,
} from './config.js';
import { createLogger } from './log.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.super-secret-token-value';

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const c = parseConfig({ DISCORD_TOKEN: TOKEN });
    expect(c.token).toBe(TOKEN);
    expect(c).toMatchObject({
      appId: null,
      guildId: null,
      apiUrl: 'https://discord.com/api',
      index: '.newsrag',
      indexDir: '.newsrag',
      articlesDir: 'data/articles',
      model: 'auto',
      dtype: 'fp32',
      allowedChannels: null,
      adminIds: [],
      cooldownSeconds: 5,
      feedbackLog: join('.newsrag', 'feedback.jsonl'),
    });
  });

  it('parses every variable', () => {
    const c = parseConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_APP_ID: '123456789012345678',
      DISCORD_GUILD_ID: '223456789012345678',
      DISCORD_API_URL: 'http://127.0.0.1:9999/api/',
      NEWSRAG_INDEX_DIR: '/srv/idx',
      NEWSRAG_ARTICLES_DIR: '/srv/articles',
      NEWSRAG_MODEL: 'standin',
      NEWSRAG_DTYPE: 'q8',
      NEWSRAG_ALLOWED_CHANNELS: '323456789012345678, 423456789012345678',
      NEWSRAG_ADMIN_IDS: '523456789012345678',
      NEWSRAG_COOLDOWN_SECONDS: '0',
    });
    expect(c).toMatchObject({
      appId: '123456789012345678',
      guildId: '223456789012345678',
      apiUrl: 'http://127.0.0.1:9999/api',
      indexDir: '/srv/idx',
      articlesDir: '/srv/articles',
      model: 'standin',
      dtype: 'q8',
      allowedChannels: ['323456789012345678', '423456789012345678'],
      adminIds: ['523456789012345678'],
      cooldownSeconds: 0,
      feedbackLog: join('/srv/idx', 'feedback.jsonl'),
    });
  });

  it('takes a Postgres index from NEWSRAG_INDEX, keeping its files in the folder and its password out of the log line', () => {
    const url = 'postgres://bot:s3cret@db.internal/news?schema=newsrag';
    const c = parseConfig({ DISCORD_TOKEN: TOKEN, NEWSRAG_INDEX: url });
    expect(c).toMatchObject({ index: url, indexDir: '.newsrag', questionLog: join('.newsrag', 'questions.jsonl') });
    expect(describeConfig(c)).toContain('index postgres://bot:***@db.internal/news?schema=newsrag');
    expect(describeConfig(c)).not.toContain('s3cret');
    // A URL in NEWSRAG_INDEX_DIR (its older name) is the index too; the files go to the default folder.
    expect(parseConfig({ DISCORD_TOKEN: TOKEN, NEWSRAG_INDEX_DIR: url })).toMatchObject({
      index: url,
      indexDir: '.newsrag',
    });
  });

  it('accepts plain http only for a loopback API host (the token goes with every request)', () => {
    for (const url of [
      'http://127.0.0.1:9/api',
      'http://localhost:9/api',
      'http://[::1]:9/api',
      'https://proxy.example/api',
    ]) {
      expect(parseConfig({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: url }).apiUrl).toBe(url);
    }
    for (const url of ['http://discord.example/api', 'http://10.0.0.5/api', 'http://127.0.0.1.evil.example/api']) {
      expect(() => parseConfig({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: url })).toThrow(
        /DISCORD_API_URL must be https/,
      );
    }
  });

  it('takes the home guild, reindex cooldown and feedback settings; the secret stays hidden', () => {
    const c = parseConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_GUILD_ID: '223456789012345678',
      NEWSRAG_REINDEX_COOLDOWN_SECONDS: '120',
      NEWSRAG_FEEDBACK_SECRET: 'feedback-secret-value-123',
      NEWSRAG_FEEDBACK_MAX_BYTES: '65536',
    });
    expect(c).toMatchObject({
      homeGuildId: '223456789012345678',
      reindexCooldownSeconds: 120,
      feedbackMaxBytes: 65536,
    });
    expect(c.feedbackSecret).toBe('feedback-secret-value-123');
    expect(JSON.stringify(c)).not.toContain('feedback-secret-value');
    expect(parseConfig({ DISCORD_TOKEN: TOKEN }).homeGuildId).toBeNull();
    expect(
      parseConfig({
        DISCORD_TOKEN: TOKEN,
        DISCORD_GUILD_ID: '223456789012345678',
        NEWSRAG_HOME_GUILD_ID: '323456789012345678',
      }).homeGuildId,
    ).toBe('323456789012345678');
    expect(() => parseConfig({ DISCORD_TOKEN: TOKEN, NEWSRAG_FEEDBACK_SECRET: 'short' })).toThrow(
      /NEWSRAG_FEEDBACK_SECRET/,
    );
  });

  it('names the missing token', () => {
    expect(() => parseConfig({})).toThrow(BotConfigError);
    expect(() => parseConfig({ DISCORD_TOKEN: '   ' })).toThrow(/DISCORD_TOKEN is required/);
  });

  it('names every bad variable in one error, never echoing the token', () => {
    let error: unknown;
    try {
      parseConfig({
        DISCORD_TOKEN: `${TOKEN} with spaces`,
        DISCORD_GUILD_ID: 'general',
        NEWSRAG_ALLOWED_CHANNELS: '123,abc',
        NEWSRAG_COOLDOWN_SECONDS: 'soon',
        DISCORD_API_URL: 'ftp://example',
        NEWSRAG_DTYPE: 'fp16',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BotConfigError);
    const message = (error as BotConfigError).message;
    expect((error as BotConfigError).code).toBe('BAD_CONFIG');
    for (const name of [
      'DISCORD_TOKEN',
      'DISCORD_GUILD_ID',
      'NEWSRAG_ALLOWED_CHANNELS',
      'NEWSRAG_COOLDOWN_SECONDS',
      'DISCORD_API_URL',
      'NEWSRAG_DTYPE',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain('super-secret');
  });

  it("lists core's bad variables one a line, as core names them", () => {
    let error: unknown;
    try {
      parseConfig({ DISCORD_TOKEN: TOKEN, NEWSRAG_DTYPE: 'fp16', NEWSRAG_INDEX_ENGINE: 'mysql' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BotConfigError);
    const lines = (error as BotConfigError).message.split('\n').slice(1);
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.startsWith('  - NEWSRAG_DTYPE: '))).toBeDefined();
    expect(lines.find((l) => l.startsWith('  - NEWSRAG_INDEX_ENGINE: '))).toBeDefined();
  });

  it('never shows the token when the config is printed, serialised or described', () => {
    const c = parseConfig({ DISCORD_TOKEN: TOKEN });
    expect(inspect(c, { depth: 5 })).not.toContain('secret');
    expect(JSON.stringify(c)).not.toContain('secret');
    expect(`${describeConfig(c)}`).not.toContain('secret');
    expect(Object.keys(c)).not.toContain('token');
  });

  it('scrubs the token from log lines and logged errors', () => {
    const lines: string[] = [];
    const log = createLogger({ secrets: [TOKEN], sink: (l) => lines.push(l) });
    log.info(`login with ${TOKEN}`);
    log.error('request failed', new Error(`401 for Bot ${TOKEN}`, { cause: new Error(`again ${TOKEN}`) }));
    expect(lines.join('\n')).not.toContain('secret');
    expect(lines.join('\n')).toContain('[redacted]');
    expect(lines[1]).toContain('401 for Bot');
  });
});

describe('sharding settings', () => {
  const bad = (env: Record<string, string>) => {
    try {
      parseConfig({ DISCORD_TOKEN: TOKEN, ...env });
    } catch (error) {
      expect(error).toBeInstanceOf(BotConfigError);
      return (error as BotConfigError).message;
    }
    throw new Error(`accepted ${JSON.stringify(env)}`);
  };

  it('NEWSRAG_SHARDS: auto by default, or a whole number from 1 to the per-machine limit', () => {
    expect(parseConfig({ DISCORD_TOKEN: TOKEN }).shards).toBe('auto');
    expect(parseConfig({ DISCORD_TOKEN: TOKEN, NEWSRAG_SHARDS: ' ' }).shards).toBe('auto');
    expect(parseConfig({ DISCORD_TOKEN: TOKEN, NEWSRAG_SHARDS: '3' }).shards).toBe(3);
    expect(parseConfig({ DISCORD_TOKEN: TOKEN, NEWSRAG_SHARDS: ' auto ' }).shards).toBe('auto');
    expect(bad({ NEWSRAG_SHARDS: '0' })).toMatch(/NEWSRAG_SHARDS must be at least 1/);
    expect(bad({ NEWSRAG_SHARDS: String(MAX_SHARD_PROCESSES + 1) })).toMatch(/NEWSRAG_SHARDS must be at most 64/);
    expect(bad({ NEWSRAG_SHARDS: '2.5' })).toMatch(/NEWSRAG_SHARDS must be auto or a whole number/);
    expect(bad({ NEWSRAG_SHARDS: 'many' })).toMatch(/NEWSRAG_SHARDS must be auto or a whole number/);
  });

  it('SHARDS / SHARD_COUNT (as discord.js reads them) name the shards of this process', () => {
    expect(parseConfig({ DISCORD_TOKEN: TOKEN }).shard).toBeNull();
    const one = parseConfig({ DISCORD_TOKEN: TOKEN, SHARDS: '1', SHARD_COUNT: '2' });
    expect(one.shard).toEqual({ ids: [1], count: 2 });
    expect(describeConfig(one)).toMatch(/, shard 1\/2$/);
    expect(parseConfig({ DISCORD_TOKEN: TOKEN, SHARDS: '[2, 0, 2]', SHARD_COUNT: '4' }).shard).toEqual({
      ids: [0, 2],
      count: 4,
    });
    // SHARD_COUNT alone: every shard in this one process, as discord.js runs it.
    expect(parseConfig({ DISCORD_TOKEN: TOKEN, SHARD_COUNT: '2' }).shard).toEqual({ ids: [0, 1], count: 2 });
    expect(bad({ SHARDS: '1' })).toMatch(/SHARD_COUNT is required with SHARDS/);
    expect(bad({ SHARDS: '2', SHARD_COUNT: '2' })).toMatch(/SHARDS must name shards below SHARD_COUNT \(2\); 2 is not/);
    expect(bad({ SHARDS: 'one', SHARD_COUNT: '2' })).toMatch(/SHARDS must be a shard id or a JSON list/);
    expect(bad({ SHARDS: '-1', SHARD_COUNT: '2' })).toMatch(/SHARDS ids start at 0/);
    expect(bad({ SHARDS: '0', SHARD_COUNT: '0' })).toMatch(/SHARD_COUNT must be at least 1/);
  });

  it('the unsharded process and the one of shard 0 lead; the log says whose line it is', () => {
    expect(isLeadProcess(null)).toBe(true);
    expect(isLeadProcess({ ids: [0], count: 2 })).toBe(true);
    expect(isLeadProcess({ ids: [1, 3], count: 4 })).toBe(false);
    expect(describeShard({ ids: [1, 3], count: 4 })).toBe('1,3/4');
    const lines: string[] = [];
    createLogger({ sink: (l) => lines.push(l), tag: 'shard 1/2' }).info('logged in');
    expect(lines[0]).toMatch(/^\S+ info \[shard 1\/2\] logged in$/);
  });
});

describe('loadConfig', () => {
  it('reads .env, with the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsrag-bot-env-'));
    const envFile = join(dir, '.env');
    writeFileSync(envFile, `DISCORD_TOKEN=${TOKEN}\nNEWSRAG_COOLDOWN_SECONDS=9\nNEWSRAG_MODEL=standin\n`);
    const c = loadConfig({ env: { NEWSRAG_MODEL: 'bge' }, envFile });
    expect(c.token).toBe(TOKEN);
    expect(c.cooldownSeconds).toBe(9);
    expect(c.model).toBe('bge');
  });

  it('works without a .env file', () => {
    const c = loadConfig({ env: { DISCORD_TOKEN: 'x' }, envFile: join(tmpdir(), 'does-not-exist.env') });
    expect(c.token).toBe('x');
  });
});
