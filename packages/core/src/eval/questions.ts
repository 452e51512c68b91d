import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { newsragError } from '../errors.js';
import { clip, excerpt } from '../excerpt.js';

/** One question of an evaluation set (format: the shared data's `eval/README.md`). */
export interface EvalQuestion {
  id: string;
  question: string;
  /** false: nothing in the corpus answers it; the right outcome is an abstention. */
  answerable: boolean;
  /** Any one of these, found in a returned passage, counts as the answer. */
  answers: string[];
  /** Ids of the articles that contain an answer. */
  articles: string[];
  /**
   * Time questions only: the ISO date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) the answer should
   * resolve to, or null when the evidence is undated (the right answer gives no date).
   */
  date?: string | null;
}

const QuestionSchema = z
  .object({
    id: z.string().min(1),
    question: z.string().refine((s) => s.trim().length > 0, 'must not be empty'),
    answerable: z.boolean(),
    answers: z.array(z.string()),
    articles: z.array(z.string().min(1)),
    date: z
      .string()
      .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD')
      .nullable()
      .optional(),
  })
  .refine((q) => !q.answerable || q.articles.length > 0, {
    message: 'an answerable question needs at least one article',
    path: ['articles'],
  });

/**
 * Parses a question set in JSONL (one JSON object a line; blank lines are skipped).
 * @param source names the file in error messages
 * @throws NewsragError `EVAL_BAD_FILE` naming the file, the line and the field
 */
export function parseQuestions(text: string, source: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  const ids = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const where = `${source}:${i + 1}`;
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw newsragError(
        'EVAL_BAD_FILE',
        { source: where, problem: `not valid JSON (${clip((err as Error).message, 200)})` },
        { cause: err },
      );
    }
    const parsed = QuestionSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(line)';
      throw newsragError('EVAL_BAD_FILE', {
        source: where,
        problem: `field \`${field}\` ${issue?.message ?? 'is invalid'}`,
      });
    }
    if (ids.has(parsed.data.id)) {
      throw newsragError('EVAL_BAD_FILE', { source: where, problem: `duplicate id ${excerpt(parsed.data.id)}` });
    }
    ids.add(parsed.data.id);
    out.push(parsed.data);
  });
  if (out.length === 0) throw newsragError('EVAL_BAD_FILE', { source, problem: 'no questions in the file' });
  return out;
}

/** Reads and parses a question set file (see {@link parseQuestions}). */
export async function readQuestions(path: string): Promise<EvalQuestion[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw newsragError(
      'EVAL_BAD_FILE',
      { source: path, problem: `the question set cannot be read (${(err as Error).message})` },
      { cause: err },
    );
  }
  return parseQuestions(text, path);
}
