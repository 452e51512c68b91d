import { chmod, mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Answer, type QuestionLogEntry, questionLogLine } from '@newsrag/core';
import type { BotContext } from './context.js';

/** Owner-only, like the feedback log: the log holds what people asked. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * The question log `/report` and `newsrag report` read: one JSONL line per question asked in a
 * server where others see the answer (private answers and DMs are never written), with its time,
 * outcome, cited article ids, answer id and the server as the entry's scope. Owner-only files,
 * size-bounded: a line that would take the log past `maxBytes` first rotates it to `<log>.1`
 * (replacing the previous one). Each line is one append (O_APPEND, one write): a crash can leave
 * at most a torn last line, which the reader counts as damaged and skips.
 */
export class QuestionLog {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
  ) {}

  /** Appends an entry; resolves when it is written. Entries are written one at a time. */
  record(entry: QuestionLogEntry): Promise<void> {
    const run = this.chain.then(() => this.append(entry));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async append(entry: QuestionLogEntry): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: DIR_MODE });
    const line = questionLogLine(entry);
    let size = 0;
    try {
      size = (await stat(this.path)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (size > 0 && size + Buffer.byteLength(line) > this.maxBytes) await rename(this.path, `${this.path}.1`);
    const handle = await open(this.path, 'a', FILE_MODE);
    try {
      await handle.writeFile(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The mode of open() applies only when it creates the file: a log made otherwise is tightened.
    await chmod(this.path, FILE_MODE);
  }
}

/**
 * Logs a question answered where others see it (`guildId` of a server; never call it for a private
 * answer or a DM). A failed write is logged, never shown to the asker: the answer is already out.
 */
export async function logQuestion(ctx: BotContext, guildId: string, question: string, answer: Answer): Promise<void> {
  try {
    await ctx.questions.record({
      time: new Date(ctx.now()).toISOString(),
      question,
      abstained: answer.abstained,
      cited: answer.citations.map((c) => c.articleId),
      answerId: answer.id,
      scope: guildId,
    });
  } catch (error) {
    ctx.logger.warn(`could not write the question log ${ctx.questions.path}`, error);
  }
}
