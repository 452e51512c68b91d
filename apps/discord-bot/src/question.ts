/** The longest question accepted, in characters. */
export const MAX_QUESTION_LENGTH = 300;

export type QuestionCheck = { ok: true; question: string } | { ok: false; message: string };

/**
 * Control characters, bidirectional overrides/isolates and zero-width spaces: invisible,
 * they can reorder or hide what the bot echoes back (the question is the embed's title),
 * and Discord may reject some of them outright. Zero-width joiners stay (emoji sequences).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** Trims, strips invisible characters and checks a question; the message tells the user what to change. Pure. */
export function checkQuestion(raw: string | null | undefined): QuestionCheck {
  const question = (raw ?? '').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  if (question.length === 0) {
    return { ok: false, message: 'Please ask a question, e.g. `/ask question: What did Putin and Kim sign?`' };
  }
  if (question.length > MAX_QUESTION_LENGTH) {
    return {
      ok: false,
      message: `Questions can be at most ${MAX_QUESTION_LENGTH} characters; yours has ${question.length}. Please shorten it.`,
    };
  }
  return { ok: true, question };
}

/** The question in a message that mentions the bot: the text without the bot's mention. Pure. */
export function questionFromMention(content: string, botId: string): string {
  return content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
