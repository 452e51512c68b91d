import { createHash } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export type Vote = 'helpful' | 'not_helpful';

/** One line of the feedback log. */
export interface FeedbackRecord {
  time: string;
  answerId: string;
  /** null when the answer is no longer remembered (e.g. after a restart). */
  question: string | null;
  /** sha256 (hex) of the Discord user id: votes can be grouped per user without storing who. */
  user: string;
  vote: Vote;
}

/** sha256 hex of a user id. Pure. */
export function hashUserId(userId: string): string {
  return createHash('sha256').update(userId).digest('hex');
}

/** The JSONL line for a vote (ends with a newline). Pure. */
export function feedbackLine(input: {
  answerId: string;
  question: string | null;
  userId: string;
  vote: Vote;
  time?: Date;
}): string {
  const record: FeedbackRecord = {
    time: (input.time ?? new Date()).toISOString(),
    answerId: input.answerId,
    question: input.question,
    user: hashUserId(input.userId),
    vote: input.vote,
  };
  return `${JSON.stringify(record)}\n`;
}

/**
 * Appends one line to the feedback log, creating its folder. One `appendFile` per
 * line (a single O_APPEND write) so concurrent votes never interleave or clobber lines.
 */
export async function appendFeedback(path: string, line: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, line, 'utf8');
}
