/**
 * The settings of every server, in one JSON file beside the index (owner-only, written
 * atomically), and the log of changes beside it (one JSON line per change: who, when, what).
 * Servers are keyed by guild id: one server's `/settings` never reads or writes another's.
 *
 * Several bot processes (shards) may share the file: a server's settings change only in the
 * process of its shard, and each change re-reads the file first, so one process's write keeps
 * what the others wrote since it opened it.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { replaceFile } from '../feedback.js';
import {
  EMPTY_GUILD_SETTINGS,
  type GuildSettings,
  GuildSettingsSchema,
  SETTING_SPECS,
  type SettingKey,
} from './schema.js';

const FileSchema = z.object({ version: z.literal(1), guilds: z.record(z.string(), GuildSettingsSchema) });

/** One change, as logged. */
export interface SettingChange {
  time: string;
  guildId: string;
  /** The admin who made it (a Discord user id: admins act in the open; never put in reports). */
  userId: string;
  action: 'set' | 'reset';
  key: SettingKey | null;
  channelId: string | null;
  value?: unknown;
}

export class SettingsStore {
  private guilds = new Map<string, GuildSettings>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    readonly logFile: string,
  ) {}

  /**
   * Loads the store (an absent file is an empty store).
   * @throws Error naming the file when it is not valid settings JSON (nothing is overwritten)
   */
  static async open(file: string, logFile = `${file.replace(/\.json$/, '')}-changes.jsonl`): Promise<SettingsStore> {
    const store = new SettingsStore(file, logFile);
    store.guilds = await readGuilds(file);
    return store;
  }

  /** A server's settings (empty when it never set any). */
  get(guildId: string): GuildSettings {
    return structuredClone(this.guilds.get(guildId) ?? EMPTY_GUILD_SETTINGS);
  }

  /** Sets one value for a server, or for one of its channels; written and logged before it resolves. */
  set(guildId: string, userId: string, key: SettingKey, value: unknown, channelId: string | null): Promise<void> {
    return this.change(guildId, (g) => {
      if (channelId) {
        if (!SETTING_SPECS[key].perChannel) throw new Error(`\`${key}\` is a server setting, not a channel one.`);
        g.channels[channelId] = { ...g.channels[channelId], [key]: value };
      } else g.guild = { ...g.guild, [key]: value };
      return { time: '', guildId, userId, action: 'set', key, channelId, value };
    });
  }

  /** Resets one setting (or all, with `key` null) of a server or of one of its channels. */
  reset(guildId: string, userId: string, key: SettingKey | null, channelId: string | null): Promise<void> {
    return this.change(guildId, (g) => {
      if (channelId) {
        const c = { ...g.channels[channelId] } as Record<string, unknown>;
        if (key) delete c[key];
        if (!key || Object.keys(c).length === 0) delete g.channels[channelId];
        else g.channels[channelId] = c as GuildSettings['channels'][string];
      } else if (key) {
        const own = { ...g.guild } as Record<string, unknown>;
        delete own[key];
        g.guild = own as GuildSettings['guild'];
      } else {
        g.guild = {};
        g.channels = {};
      }
      return { time: '', guildId, userId, action: 'reset', key, channelId };
    });
  }

  private change(guildId: string, apply: (g: GuildSettings) => SettingChange): Promise<void> {
    const run = this.queue.then(async () => {
      const next = this.get(guildId);
      const change = apply(next);
      GuildSettingsSchema.parse(next);
      // Other processes' servers as they are on disk now; this server's from this process.
      const guilds = new Map(await readGuilds(this.file)).set(guildId, next);
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      await replaceFile(this.file, `${JSON.stringify({ version: 1, guilds: Object.fromEntries(guilds) }, null, 2)}\n`);
      this.guilds = guilds;
      await appendFile(this.logFile, `${JSON.stringify({ ...change, time: new Date().toISOString() })}\n`, {
        mode: 0o600,
      });
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * The servers in a settings file (an absent file holds none).
 * @throws Error naming the file when it is not valid settings JSON (nothing is overwritten)
 */
async function readGuilds(file: string): Promise<Map<string, GuildSettings>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}: the settings file is not valid JSON; fix or remove it`);
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: settings field \`${issue?.path.join('.')}\` ${issue?.message}; fix or remove it`);
  }
  return new Map(Object.entries(parsed.data.guilds));
}
