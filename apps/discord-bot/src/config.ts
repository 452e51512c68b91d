import { existsSync, readFileSync } from 'node:fs';
import {
  DEFAULTS,
  displayLocation,
  envDefaults,
  filesFolderOf,
  INGEST_DEFAULTS,
  type KnowledgeBaseOptions,
  logPaths,
  NewsragError,
  SENTENCE_CACHE_SIZE,
} from '@newsrag/core';
import type { EmbedDtype } from '@newsrag/embed';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

/** Where Discord's REST API lives unless `DISCORD_API_URL` says otherwise (discord.js's own default). */
export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api';

/**
 * The bot's settings, read from the environment (and an optional `.env`). The settings it
 * shares with the CLI (index, articles, model, dtype, engine, feeds file, contact, logs) are
 * read by core ({@link envDefaults}, {@link logPaths}) with core's {@link DEFAULTS}; the bot
 * parses only its own. A blank value counts as unset, for every variable.
 *
 * | variable                   | default                         |
 * |----------------------------|---------------------------------|
 * | `DISCORD_TOKEN`            | required                        |
 * | `DISCORD_APP_ID`           | none (required by `bot:register`) |
 * | `DISCORD_GUILD_ID`         | none: commands are registered globally |
 * | `DISCORD_API_URL`          | `https://discord.com/api` (plain http only for a loopback host) |
 * | `NEWSRAG_INDEX`            | `NEWSRAG_INDEX_DIR`: where the index lives, a folder or a `postgres://` URL (one index for many bot processes) |
 * | `NEWSRAG_INDEX_DIR`        | core's `DEFAULTS.indexDir` (`.newsrag`): the index folder; with a Postgres `NEWSRAG_INDEX`, the folder of the logs and settings |
 * | `NEWSRAG_ARTICLES_DIR`     | core's `DEFAULTS.articlesDir` (`data/articles`) |
 * | `NEWSRAG_MODEL`            | core's `DEFAULTS.model` (`auto`: the model the index was built with) |
 * | `NEWSRAG_DTYPE`            | core's `DEFAULTS.dtype` (`fp32`) |
 * | `NEWSRAG_INDEX_ENGINE`     | core's `DEFAULTS.engine` (`sqlite`): the engine of a folder index |
 * | `NEWSRAG_ALLOWED_CHANNELS` | none: every channel             |
 * | `NEWSRAG_ADMIN_IDS`        | none: only Manage Server members of the home guild may `/reindex` |
 * | `NEWSRAG_HOME_GUILD_ID`    | `DISCORD_GUILD_ID`, else none: only admin ids may `/reindex` |
 * | `NEWSRAG_COOLDOWN_SECONDS` | `5`                             |
 * | `NEWSRAG_WARM_SENTENCES`   | core's `SENTENCE_CACHE_SIZE` (4096): sentences of the newest articles embedded at start, while idle (0: none) |
 * | `NEWSRAG_REINDEX_COOLDOWN_SECONDS` | `60`: between two `/reindex` runs, for everyone |
 * | `NEWSRAG_FEEDBACK_LOG`     | `<index dir>/feedback.jsonl` (core's `DEFAULTS.feedbackLog`) |
 * | `NEWSRAG_FEEDBACK_SECRET`  | generated into `<feedback log>.secret` (0600) |
 * | `NEWSRAG_FEEDBACK_MAX_BYTES` | `10485760`: then the log is rotated to `<log>.1` |
 * | `NEWSRAG_QUESTION_LOG`     | `<index dir>/questions.jsonl` (core's `DEFAULTS.questionLog`): public questions, for `/report` |
 * | `NEWSRAG_QUESTION_LOG_MAX_BYTES` | `10485760`: then the log is rotated to `<log>.1` |
 * | `NEWSRAG_FEEDS`            | none: feed URLs (comma or space separated) refreshed on a schedule, besides the feeds file |
 * | `NEWSRAG_FEEDS_FILE`       | `feeds.txt` (core's default): the feeds `/feeds add|remove` keep |
 * | `NEWSRAG_REFRESH_MINUTES`  | `15`: minutes between feed refreshes (fractions allowed, at least 0.05) |
 * | `NEWSRAG_ALLOW_HOSTS`      | none: hosts feeds may reach on private or loopback addresses (comma separated) |
 * | `NEWSRAG_CONTACT`          | core's default: the contact in the User-Agent of feed fetches |
 * | `NEWSRAG_SHARDS`           | `auto`: shard processes `bot:shards` starts, a number or `auto` (what `GET /gateway/bot` of `DISCORD_API_URL` recommends) |
 * | `SHARDS`, `SHARD_COUNT`    | none: one process for every guild. discord.js's own: the shard ids this process runs (a number or a JSON list) and the bot's total; set by `bot:shards` for each process, or by hand for replicas started apart |
 *
 * `token` is a non-enumerable property, so printing or serialising the config never shows it.
 */
export interface BotConfig {
  readonly token: string;
  appId: string | null;
  guildId: string | null;
  apiUrl: string;
  /** Where the index lives: a folder or a `postgres://` URL (shown with {@link displayLocation}). */
  index: string;
  /** The folder of the bot's own files (logs, settings): the index folder, unless the index is on a server. */
  indexDir: string;
  articlesDir: string;
  model: string;
  dtype: EmbedDtype;
  /** The engine of a folder index (core's `engine` option); ignored for a `postgres://` index. */
  engine: NonNullable<KnowledgeBaseOptions['engine']>;
  /** null: every channel. */
  allowedChannels: string[] | null;
  adminIds: string[];
  /** The guild whose Manage Server members may `/reindex` (the index is shared by every guild); null: admin ids only. */
  homeGuildId: string | null;
  cooldownSeconds: number;
  /** Sentences embedded ahead of questions once the bot is up (see `KnowledgeBase.warm`); 0: none. */
  warmSentences: number;
  reindexCooldownSeconds: number;
  feedbackLog: string;
  /** HMAC key for user ids in the feedback log; null: generated and kept beside the log. Non-enumerable. */
  readonly feedbackSecret: string | null;
  feedbackMaxBytes: number;
  /** The question log `/report` reads (public questions only). */
  questionLog: string;
  questionLogMaxBytes: number;
  /** Feed URLs from `NEWSRAG_FEEDS`; the feeds file adds to them. */
  feeds: string[];
  feedsFile: string;
  refreshMinutes: number;
  allowHosts: string[];
  contact: string;
  /** How many shard processes `bot:shards` starts; `auto`: as many as Discord recommends. */
  shards: number | 'auto';
  /** The shards this process runs (`SHARDS` / `SHARD_COUNT`); null: unsharded, every guild. */
  shard: ShardAssignment | null;
}

/** The shards one process runs, out of the bot's total. */
export interface ShardAssignment {
  ids: number[];
  count: number;
}

/** The most shard processes `bot:shards` starts on one machine: each loads the model and the index. */
export const MAX_SHARD_PROCESSES = 64;

/**
 * Whether this process does what must happen once per bot rather than once per process —
 * building the index when there is none yet, the scheduled feed refresh: the unsharded
 * process, or the one running shard 0. The others wait for its first commit, so replicas
 * started together index once, and do not fetch the same feeds into one index. Pure.
 */
export function isLeadProcess(shard: ShardAssignment | null): boolean {
  return shard === null || shard.ids.includes(0);
}

/** Hosts a plain-http API URL may name: the token must never cross a network in clear. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** A bad setting; the message names the variable and never contains the token. */
export class BotConfigError extends Error {
  override readonly name = 'BotConfigError';
  readonly code = 'BAD_CONFIG';
}

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
/** A list given as one string (`a,b`, or split by `separator`), each entry trimmed, blanks dropped. */
const listOf = <T extends z.ZodType>(item: T, separator: RegExp = /,/) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(separator)
            .map((s) => s.trim())
            .filter((s) => s.length > 0)
        : v,
    z.array(item),
  );
const idList = listOf(
  z.string().regex(/^\d{17,20}$/, 'must be a comma-separated list of Discord ids (17 to 20 digits each)'),
);
const urlList = listOf(
  z.url({ protocol: /^https?$/, error: 'must be a list of http(s) feed URLs, comma or space separated' }),
  /[\s,]+/,
);
const hostList = listOf(z.string().regex(/^[\w.:[\]-]+$/, 'must be a comma-separated list of host names or addresses'));

const wholeNumber = (what: string) => z.coerce.number({ error: `must be ${what}` }).int(`must be ${what}`);
/** `SHARDS` as discord.js reads it: JSON, one id or a list of them. */
const shardIds = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  },
  z.union([z.number().int().min(0, 'ids start at 0'), z.array(z.number().int().min(0, 'ids start at 0')).min(1)], {
    error: 'must be a shard id or a JSON list of them, such as 0 or [0,1]',
  }),
);

const logBytes = z.coerce
  .number({ error: 'must be a number of bytes' })
  .int('must be a whole number of bytes')
  .min(4096, 'must be at least 4096')
  .default(10 * 1024 * 1024);

/** The bot's own variables; core reads the ones it shares with the CLI (see {@link parseConfig}). */
const schema = z.object({
  DISCORD_TOKEN: z
    .string({ error: 'is required: the bot token from the Discord Developer Portal (Bot → Reset Token)' })
    .regex(/^\S+$/, 'must not contain spaces'),
  DISCORD_APP_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://discord.com/api' })
    .refine((u) => new URL(u).protocol === 'https:' || isLoopbackHost(new URL(u).hostname), {
      error:
        'must be https (plain http is accepted only for localhost / 127.0.0.1 / ::1: the token is sent with every request)',
    })
    .default(DEFAULT_DISCORD_API_URL),
  NEWSRAG_ALLOWED_CHANNELS: idList.optional(),
  NEWSRAG_ADMIN_IDS: idList.default([]),
  NEWSRAG_COOLDOWN_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .min(0, 'must be 0 or more')
    .max(3600, 'must be at most 3600')
    .default(5),
  NEWSRAG_WARM_SENTENCES: z.coerce
    .number({ error: 'must be a number of sentences' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(1_000_000, 'must be at most 1000000')
    .default(SENTENCE_CACHE_SIZE),
  NEWSRAG_HOME_GUILD_ID: snowflake.optional(),
  NEWSRAG_REINDEX_COOLDOWN_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .min(0, 'must be 0 or more')
    .max(86_400, 'must be at most 86400')
    .default(60),
  NEWSRAG_FEEDBACK_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters (e.g. `openssl rand -hex 32`)')
    .optional(),
  NEWSRAG_FEEDS: urlList.default([]),
  NEWSRAG_REFRESH_MINUTES: z.coerce
    .number({ error: 'must be a number of minutes' })
    .min(0.05, 'must be at least 0.05')
    .max(10_080, 'must be at most 10080 (a week)')
    .default(INGEST_DEFAULTS.refreshMinutes),
  NEWSRAG_ALLOW_HOSTS: hostList.default([]),
  NEWSRAG_FEEDBACK_MAX_BYTES: logBytes,
  NEWSRAG_QUESTION_LOG_MAX_BYTES: logBytes,
  NEWSRAG_SHARDS: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === 'auto' ? 'auto' : Number(v)) : v),
    z
      .union(
        [
          z.literal('auto'),
          z
            .number()
            .int()
            .min(1, 'must be at least 1')
            .max(MAX_SHARD_PROCESSES, `must be at most ${MAX_SHARD_PROCESSES} (one process per shard on this machine)`),
        ],
        {
          error: `must be auto or a whole number of shards from 1 to ${MAX_SHARD_PROCESSES} (one process each on this machine)`,
        },
      )
      .default('auto'),
  ),
  SHARDS: shardIds.optional(),
  SHARD_COUNT: wholeNumber('a whole number of shards').min(1, 'must be at least 1').optional(),
});

/** The environment with every blank value dropped: a variable set to spaces is unset. */
function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''),
  );
}

/** Core's reading of the settings it shares with the CLI, or what is wrong with them. */
function coreSettings(env: Record<string, string>): ReturnType<typeof envDefaults> | { problems: string[] } {
  try {
    return envDefaults(env);
  } catch (error) {
    // Core's BAD_OPTIONS carries each bad variable as an item; the bot lists them, one a line, with its own.
    if (error instanceof NewsragError && error.code === 'BAD_OPTIONS' && error.problems.length > 0) {
      return { problems: [...error.problems] };
    }
    throw error;
  }
}

/** The shards of this process from `SHARDS` / `SHARD_COUNT` (as discord.js's Client reads them). */
function shardAssignment(shards: number | number[] | undefined, count: number | undefined): ShardAssignment | null {
  if (shards === undefined && count === undefined) return null;
  if (count === undefined) {
    throw new BotConfigError(
      "Invalid bot configuration:\n  - SHARD_COUNT is required with SHARDS: the bot's total number of shards",
    );
  }
  const ids = shards === undefined ? Array.from({ length: count }, (_, i) => i) : [shards].flat();
  const outside = ids.filter((id) => id >= count);
  if (outside.length > 0) {
    throw new BotConfigError(
      `Invalid bot configuration:\n  - SHARDS must name shards below SHARD_COUNT (${count}); ${outside.join(', ')} is not`,
    );
  }
  return { ids: [...new Set(ids)].sort((a, b) => a - b), count };
}

/**
 * Validates settings from a plain record of environment variables. Pure: reads no file.
 * @throws {BotConfigError} naming every bad variable (values are never echoed).
 */
export function parseConfig(env: Record<string, string | undefined>): BotConfig {
  const set = withoutBlanks(env);
  const result = schema.safeParse(set);
  const core = coreSettings(set);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`)),
    ...('problems' in core ? core.problems : []),
  ];
  if (!result.success || 'problems' in core) {
    throw new BotConfigError(`Invalid bot configuration:\n  - ${problems.join('\n  - ')}`);
  }
  const v = result.data;
  // The bot's own files stay in NEWSRAG_INDEX_DIR even when NEWSRAG_INDEX puts the index on a server.
  const filesDir = set.NEWSRAG_INDEX_DIR ?? DEFAULTS.indexDir;
  const logs = logPaths(filesDir, set);
  const config: Omit<BotConfig, 'token' | 'feedbackSecret'> = {
    appId: v.DISCORD_APP_ID ?? null,
    guildId: v.DISCORD_GUILD_ID ?? null,
    apiUrl: v.DISCORD_API_URL.replace(/\/+$/, ''),
    index: core.indexDir,
    indexDir: filesFolderOf(filesDir),
    articlesDir: core.articlesDir,
    model: core.model,
    dtype: core.dtype,
    engine: core.engine,
    allowedChannels: v.NEWSRAG_ALLOWED_CHANNELS ?? null,
    adminIds: v.NEWSRAG_ADMIN_IDS,
    homeGuildId: v.NEWSRAG_HOME_GUILD_ID ?? v.DISCORD_GUILD_ID ?? null,
    cooldownSeconds: v.NEWSRAG_COOLDOWN_SECONDS,
    warmSentences: v.NEWSRAG_WARM_SENTENCES,
    reindexCooldownSeconds: v.NEWSRAG_REINDEX_COOLDOWN_SECONDS,
    feedbackLog: logs.feedbackLog,
    feedbackMaxBytes: v.NEWSRAG_FEEDBACK_MAX_BYTES,
    questionLog: logs.questionLog,
    questionLogMaxBytes: v.NEWSRAG_QUESTION_LOG_MAX_BYTES,
    feeds: v.NEWSRAG_FEEDS,
    feedsFile: core.feedsFile,
    refreshMinutes: v.NEWSRAG_REFRESH_MINUTES,
    allowHosts: v.NEWSRAG_ALLOW_HOSTS,
    contact: core.contact,
    shards: v.NEWSRAG_SHARDS,
    shard: shardAssignment(v.SHARDS, v.SHARD_COUNT),
  };
  // Non-enumerable so that logging, inspecting or JSON-serialising the config cannot leak it.
  Object.defineProperty(config, 'token', { value: v.DISCORD_TOKEN, enumerable: false, writable: false });
  Object.defineProperty(config, 'feedbackSecret', {
    value: v.NEWSRAG_FEEDBACK_SECRET ?? null,
    enumerable: false,
    writable: false,
  });
  return config as BotConfig;
}

/**
 * Loads the configuration from `env` (default `process.env`) plus an optional `.env`
 * file (default `./.env`); variables already in the environment win over the file.
 */
export function loadConfig(options: { env?: Record<string, string | undefined>; envFile?: string } = {}): BotConfig {
  const envFile = options.envFile ?? '.env';
  const fromFile = existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};
  return parseConfig({ ...fromFile, ...(options.env ?? process.env) });
}

/** The settings worth a start-up log line (no token). */
export function describeConfig(config: BotConfig): string {
  return [
    `index ${displayLocation(config.index)}`,
    `articles ${config.articlesDir}`,
    `model ${config.model}`,
    `channels ${config.allowedChannels ? config.allowedChannels.join(',') : 'all'}`,
    `cooldown ${config.cooldownSeconds}s`,
    `reindex by ${config.adminIds.length} admin ids${config.homeGuildId ? ` and Manage Server in guild ${config.homeGuildId}` : ''}, every ${config.reindexCooldownSeconds}s at most`,
    `feedback ${config.feedbackLog}`,
    `questions ${config.questionLog}`,
    `feeds ${config.feeds.length} + ${config.feedsFile}, every ${config.refreshMinutes} min`,
    `api ${config.apiUrl}`,
    ...(config.shard ? [`shard ${describeShard(config.shard)}`] : []),
  ].join(', ');
}

/** `0/2`, `0,1/4`: the shards a process runs, out of the total. Pure. */
export function describeShard(shard: ShardAssignment): string {
  return `${shard.ids.join(',')}/${shard.count}`;
}
