/**
 * Starts the real bot (real discord.js client, real knowledge base on the stand-in
 * embedder) against the local Discord stand-in, on a temp copy of the seed articles.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KnowledgeBase, openKnowledgeBase } from '@newsrag/core';
import { type Bot, type BotConfig, createBot, createLogger, parseConfig } from '@newsrag/discord-bot';
import type { EmbedDtype } from '@newsrag/embed';
import {
  DiscordStandin,
  type RestCall,
  type SentInteraction,
  type StandinOptions,
} from '@newsrag/test-support/discord';
import type { APIEmbed } from 'discord.js';

/** The seed articles (read-only source; the harness indexes a copy). */
export const SEED_ARTICLES = fileURLToPath(new URL('../../data/articles', import.meta.url));

/** A token the bot must never log; the stand-in accepts any non-empty token. */
export const TEST_TOKEN = 'MTE5OTk5.standin-secret-token.do-not-log-me';

export interface Harness {
  standin: DiscordStandin;
  kb: KnowledgeBase;
  bot: Bot;
  config: BotConfig;
  /** Every line the bot logged. */
  logs: string[];
  /** Temp folder with `articles/`, `index/`, `feedback.jsonl`. */
  root: string;
  articlesDir: string;
  close(): Promise<void>;
}

/**
 * Copies the seed articles (plus `extraArticles`, name → text) to a temp folder,
 * indexes them with the stand-in model, and logs the bot into a fresh stand-in.
 */
export async function startHarness(
  options: {
    env?: Record<string, string>;
    extraArticles?: Record<string, string>;
    indexInWorker?: boolean;
    /** Embedding model (default the stand-in; the real all-MiniLM-L6-v2 for answer quality). */
    model?: string;
    dtype?: EmbedDtype;
    standin?: StandinOptions;
  } = {},
): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'newsrag-discord-'));
  const articlesDir = join(root, 'articles');
  cpSync(SEED_ARTICLES, articlesDir, { recursive: true, filter: (src) => !src.endsWith('README.md') });
  for (const [name, text] of Object.entries(options.extraArticles ?? {})) writeFileSync(join(articlesDir, name), text);
  const indexDir = join(root, 'index');
  // As the bot's entry point opens it: /reindex runs in a worker thread (unless a test asks otherwise).
  const model = options.model ?? 'standin';
  const dtype = options.dtype ?? 'fp32';
  const kb = await openKnowledgeBase({ indexDir, model, dtype, indexInWorker: options.indexInWorker ?? true });
  await kb.index([articlesDir]);
  const standin = await DiscordStandin.start(options.standin);
  const config = parseConfig({
    DISCORD_TOKEN: TEST_TOKEN,
    DISCORD_API_URL: standin.apiUrl,
    NEWSRAG_INDEX_DIR: indexDir,
    NEWSRAG_ARTICLES_DIR: articlesDir,
    NEWSRAG_MODEL: model,
    NEWSRAG_DTYPE: dtype,
    // The stand-in's guild is the bot's home: its Manage Server members may /reindex.
    NEWSRAG_HOME_GUILD_ID: standin.guildId,
    ...options.env,
  });
  const logs: string[] = [];
  const bot = createBot(config, kb, {
    logger: createLogger({ secrets: [TEST_TOKEN], sink: (line) => logs.push(line) }),
  });
  await bot.start();
  return {
    standin,
    kb,
    bot,
    config,
    logs,
    root,
    articlesDir,
    async close() {
      // The client first, or it keeps reconnecting to the closed stand-in.
      await bot.stop();
      await standin.stop();
      await kb.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The body of a REST call as a message payload. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  flags?: number;
  allowed_mentions?: { parse?: string[]; replied_user?: boolean };
  components?: Array<{ components: Array<{ custom_id?: string; label?: string }> }>;
  message_reference?: { message_id: string };
}

export const bodyOf = (call: RestCall): MessageBody => (call.body ?? {}) as MessageBody;

/** All visible text of a message body (content, titles, descriptions, fields, footers). */
export function textOf(body: MessageBody): string {
  const parts = [body.content ?? ''];
  for (const e of body.embeds ?? []) {
    parts.push(e.title ?? '', e.description ?? '', e.footer?.text ?? '');
    for (const f of e.fields ?? []) parts.push(f.name, f.value);
  }
  return parts.join('\n');
}

/** The edit of an interaction's original (deferred) reply. */
export function waitForEdit(standin: DiscordStandin, sent: SentInteraction, timeoutMs = 20_000): Promise<RestCall> {
  return standin.waitFor(
    (c) => c.method === 'PATCH' && c.path === `/webhooks/${sent.applicationId}/${sent.token}/messages/@original`,
    timeoutMs,
  );
}

/** The immediate callback of an interaction (reply, defer or update). */
export function waitForCallback(standin: DiscordStandin, sent: SentInteraction, timeoutMs = 20_000): Promise<RestCall> {
  return standin.waitFor(
    (c) => c.method === 'POST' && c.path === `/interactions/${sent.id}/${sent.token}/callback`,
    timeoutMs,
  );
}

/** An `/ask` interaction's options. */
export function askOptions(question: string, extra: { sources?: number; private?: boolean; thread?: boolean } = {}) {
  const options: Array<{ name: string; type: number; value: string | number | boolean }> = [
    { name: 'question', type: 3, value: question },
  ];
  if (extra.sources !== undefined) options.push({ name: 'sources', type: 4, value: extra.sources });
  if (extra.private !== undefined) options.push({ name: 'private', type: 5, value: extra.private });
  if (extra.thread !== undefined) options.push({ name: 'thread', type: 5, value: extra.thread });
  return options;
}
