import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export type Vote = 'helpful' | 'not_helpful';

/** One line of the feedback log. */
export interface FeedbackRecord {
  time: string;
  answerId: string;
  /** null when the answer was private, or is no longer remembered (e.g. after a restart). */
  question: string | null;
  /**
   * HMAC-SHA256 (hex) of the Discord user id under the bot's feedback secret: votes can be
   * grouped per user, but (unlike a plain hash of a public id) not traced back to anyone.
   */
  user: string;
  vote: Vote;
}

/** Owner-only: the log holds questions people asked, the secret is the key to their ids. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** The user key of a vote: HMAC-SHA256 of the user id under `secret`. Pure. */
export function userKey(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId).digest('hex');
}

/** The JSONL line for a vote (ends with a newline). Pure. */
export function feedbackLine(input: {
  answerId: string;
  question: string | null;
  userId: string;
  vote: Vote;
  secret: string;
  time?: Date;
}): string {
  const record: FeedbackRecord = {
    time: (input.time ?? new Date()).toISOString(),
    answerId: input.answerId,
    question: input.question,
    user: userKey(input.secret, input.userId),
    vote: input.vote,
  };
  return `${JSON.stringify(record)}\n`;
}

/**
 * The feedback secret: `configured` when set, else the one kept in `<log>.secret`,
 * created (32 random bytes, hex, mode 0600, exclusively) on first use.
 */
export async function feedbackSecret(logPath: string, configured: string | null): Promise<string> {
  if (configured !== null) return configured;
  const file = `${logPath}.secret`;
  await mkdir(dirname(logPath), { recursive: true, mode: DIR_MODE });
  try {
    const handle = await open(file, 'wx', FILE_MODE);
    try {
      await handle.writeFile(`${randomBytes(32).toString('hex')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 16)
    throw new Error(`${file}: the feedback secret is shorter than 16 characters; delete the file`);
  return secret;
}

/** Writes `data` to `path` atomically (temp file 0600, fsync, rename). */
export async function replaceFile(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path).catch(async (error: unknown) => {
    await rm(tmp, { force: true });
    throw error;
  });
}

/**
 * The feedback log: one line per (answer, user), a later vote replacing the earlier
 * one, user ids keyed with an HMAC secret, files owner-only, size-bounded: when the
 * log would pass `maxBytes` it is rotated to `<log>.1` (replacing the previous one).
 * Votes are applied one at a time (a promise chain), each an atomic rewrite.
 */
export class FeedbackLog {
  private chain: Promise<unknown> = Promise.resolve();
  private secret: Promise<string> | undefined;

  constructor(
    readonly path: string,
    private readonly configuredSecret: string | null,
    private readonly maxBytes: number,
  ) {}

  /** Records a vote; resolves when it is on disk. */
  record(input: { answerId: string; question: string | null; userId: string; vote: Vote }): Promise<void> {
    const run = this.chain.then(() => this.apply(input));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async apply(input: { answerId: string; question: string | null; userId: string; vote: Vote }) {
    this.secret ??= feedbackSecret(this.path, this.configuredSecret);
    let secret: string;
    try {
      secret = await this.secret;
    } catch (error) {
      this.secret = undefined; // try again next time (e.g. the folder was fixed)
      throw error;
    }
    await mkdir(dirname(this.path), { recursive: true, mode: DIR_MODE });
    const line = feedbackLine({ ...input, secret });
    const user = userKey(secret, input.userId);
    let current = '';
    try {
      // Bounded by the rotation below; a log grown past twice the limit by hand is rotated unread.
      if ((await stat(this.path)).size <= this.maxBytes * 2) current = await readFile(this.path, 'utf8');
      else await rename(this.path, `${this.path}.1`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const kept = current.split('\n').filter((l) => l !== '' && !sameVoter(l, input.answerId, user));
    let next = kept.length > 0 ? `${kept.join('\n')}\n${line}` : line;
    if (Buffer.byteLength(next) > this.maxBytes && kept.length > 0) {
      await replaceFile(`${this.path}.1`, `${kept.join('\n')}\n`);
      next = line;
    }
    await replaceFile(this.path, next);
  }
}

function sameVoter(line: string, answerId: string, user: string): boolean {
  try {
    const r = JSON.parse(line) as Partial<FeedbackRecord>;
    return r.answerId === answerId && r.user === user;
  } catch {
    return false; // a damaged line is kept as it is, never silently dropped
  }
}
