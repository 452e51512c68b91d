import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { newsragError } from '../errors.js';
import type { FeedbackVote, QuestionLogEntry } from './types.js';

/** Discord mentions and bare ids (17–20 digit snowflakes) a question may quote. */
const DISCORD_IDS = /<(?:@[!&]?|#)\d{17,20}>|(?<!\d)\d{17,20}(?!\d)/g;

/** `text` with Discord user, role and channel mentions and bare ids replaced by `[id]`. Pure. */
export function redactIds(text: string): string {
  return text.replace(DISCORD_IDS, '[id]');
}

const entrySchema = z.object({
  time: z.iso.datetime(),
  question: z.string().min(1).max(4000),
  abstained: z.boolean(),
  cited: z.array(z.string()).max(100),
  answerId: z.string().min(1).max(200),
  scope: z.string().min(1).max(200).optional(),
});

const voteSchema = z.object({
  time: z.iso.datetime(),
  answerId: z.string().min(1).max(200),
  vote: z.enum(['helpful', 'not_helpful']),
});

/** The JSONL line of a question log entry (ends with a newline; ids in the question redacted). Pure. */
export function questionLogLine(entry: QuestionLogEntry): string {
  const line: QuestionLogEntry = {
    time: entry.time,
    question: redactIds(entry.question),
    abstained: entry.abstained,
    cited: [...new Set(entry.cited)],
    answerId: entry.answerId,
    ...(entry.scope !== undefined ? { scope: entry.scope } : {}),
  };
  return `${JSON.stringify(line)}\n`;
}

/** Lines of a log, parsed; damaged lines (a crash mid-write, a hand edit) are counted, not fatal. */
export interface ParsedLog<T> {
  entries: T[];
  damaged: number;
}

function parseLines<T>(text: string, schema: z.ZodType<T>): ParsedLog<T> {
  const entries: T[] = [];
  let damaged = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      damaged++;
      continue;
    }
    const r = schema.safeParse(json);
    if (r.success) entries.push(r.data);
    else damaged++;
  }
  return { entries, damaged };
}

/** Parses question log JSONL. Pure. */
export function parseQuestionLog(text: string): ParsedLog<QuestionLogEntry> {
  return parseLines(text, entrySchema);
}

/**
 * Parses the bot's feedback log JSONL, keeping only time, answer id and vote: the (keyed)
 * user field and the question are never read. Pure.
 */
export function parseFeedbackLog(text: string): ParsedLog<FeedbackVote> {
  return parseLines(text, voteSchema);
}

async function readRotated(path: string, what: string, mustExist: boolean): Promise<string> {
  const read = async (file: string, required: boolean): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !required) return '';
      throw newsragError(
        'LOG_UNREADABLE',
        { log: what, file, reason: code === 'ENOENT' ? 'no such file' : String((error as Error).message) },
        { cause: error },
      );
    }
  };
  // The rotated half first: it holds the older lines.
  const older = await read(`${path}.1`, false);
  const current = await read(path, mustExist);
  return older === '' ? current : `${older}\n${current}`;
}

/**
 * Reads a question log and its rotated half (`<path>.1`).
 * @param mustExist when true a missing log is a `LOG_UNREADABLE` error, else an empty log.
 * @throws {NewsragError} `LOG_UNREADABLE` naming the file when it cannot be read.
 */
export async function readQuestionLog(path: string, mustExist = false): Promise<ParsedLog<QuestionLogEntry>> {
  return parseQuestionLog(await readRotated(path, 'question log', mustExist));
}

/**
 * Reads the bot's feedback log and its rotated half (see {@link parseFeedbackLog}).
 * @throws {NewsragError} `LOG_UNREADABLE` naming the file when it exists but cannot be read.
 */
export async function readFeedbackLog(path: string, mustExist = false): Promise<ParsedLog<FeedbackVote>> {
  return parseFeedbackLog(await readRotated(path, 'feedback log', mustExist));
}
