/**
 * Follow-up conversations as an evaluation set, and their scoring: each conversation is
 * answered turn by turn, every turn after the first with the turns before it as context
 * (or, for the control run, without), and the follow-ups are scored by the shared rules
 * (a hit is a passage of one of the turn's articles containing one of its answers).
 */
import { readFile } from 'node:fs/promises';
import type { Embedder } from '@newsrag/embed';
import { z } from 'zod';
import { answer } from '../answer/answer.js';
import type { ContextFrom, ConversationTurn } from '../conversation/types.js';
import { newsragError } from '../errors.js';
import { clip } from '../excerpt.js';
import type { IndexReader } from '../store/contract.js';
import type { EvalQuestion } from './questions.js';
import { firstHitRank } from './score.js';

/** One scripted conversation: the first turn stands alone, the others follow up on it. */
export interface FollowUpConversation {
  id: string;
  topic?: string;
  turns: Array<{ question: string; answers: string[]; articles: string[] }>;
}

const ConversationSchema = z.object({
  id: z.string().min(1),
  topic: z.string().optional(),
  turns: z
    .array(
      z.object({
        question: z.string().refine((s) => s.trim().length > 0, 'must not be empty'),
        answers: z.array(z.string()),
        articles: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(2),
});

/**
 * Parses follow-up conversations in JSONL (one conversation a line, blank lines skipped).
 * @throws NewsragError `EVAL_BAD_FILE` naming the file, the line and the field
 */
export function parseConversations(text: string, source: string): FollowUpConversation[] {
  const out: FollowUpConversation[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${source}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw newsragError('EVAL_BAD_FILE', {
        source: where,
        problem: `not valid JSON (${clip((err as Error).message, 200)})`,
      });
    }
    const parsed = ConversationSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw newsragError('EVAL_BAD_FILE', {
        source: where,
        problem: `field \`${issue?.path.join('.') || '(line)'}\` ${issue?.message}`,
      });
    }
    out.push(parsed.data);
  });
  return out;
}

/** Reads a follow-up conversation file (see {@link parseConversations}). */
export async function readConversations(file: string): Promise<FollowUpConversation[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw newsragError('EVAL_BAD_FILE', {
      source: file,
      problem: `the conversation file cannot be read (${(err as Error).message})`,
    });
  }
  return parseConversations(text, file);
}

/** How one follow-up turn fared. */
export interface FollowUpTurnScore {
  conversation: string;
  turn: number;
  question: string;
  /** The retrieval query (the rewrite, with context). */
  query: string;
  contextFrom: ContextFrom | null;
  /** 1-based rank of the first hit in the top 10, or null. */
  firstHitRank: number | null;
}

/** hit@3 over the follow-up turns (the first turn of each conversation is not scored). */
export interface FollowUpReport {
  context: boolean;
  /** Follow-up turns scored. */
  n: number;
  hitAt1: number;
  hitAt3: number;
  /** Follow-ups that took context from an earlier turn (0 without context). */
  withContextFrom: number;
  turns: FollowUpTurnScore[];
}

/**
 * Answers every conversation turn by turn and scores the follow-ups. With `context`, each turn
 * is answered with the earlier turns (their questions, rewritten queries and cited articles)
 * as `conversation`; without, each question alone (the control run).
 */
export async function evaluateFollowUps(params: {
  reader: IndexReader;
  embedder: Embedder;
  conversations: readonly FollowUpConversation[];
  context: boolean;
}): Promise<FollowUpReport> {
  const turns: FollowUpTurnScore[] = [];
  for (const conv of params.conversations) {
    const history: ConversationTurn[] = [];
    for (const [i, turn] of conv.turns.entries()) {
      const a = await answer(params.reader, params.embedder, turn.question, {
        k: 10,
        ...(params.context ? { conversation: history } : {}),
      });
      history.push({
        question: turn.question,
        query: a.query ?? turn.question,
        citedArticleIds: [...new Set(a.citations.map((c) => c.articleId))],
      });
      if (i === 0) continue;
      const q: EvalQuestion = { id: `${conv.id}.${i}`, answerable: true, ...turn };
      turns.push({
        conversation: conv.id,
        turn: i,
        question: turn.question,
        query: a.query ?? turn.question,
        contextFrom: a.contextFrom ?? null,
        firstHitRank: firstHitRank(q, a.passages),
      });
    }
  }
  const n = turns.length;
  const share = (k: number) =>
    n === 0 ? 0 : turns.filter((t) => t.firstHitRank !== null && t.firstHitRank <= k).length / n;
  return {
    context: params.context,
    n,
    hitAt1: share(1),
    hitAt3: share(3),
    withContextFrom: turns.filter((t) => t.contextFrom !== null).length,
    turns,
  };
}

/** One line of figures: `follow-ups with context n=30 hit@1 0.700 hit@3 0.900`. */
export function formatFollowUpReport(label: string, r: FollowUpReport): string {
  return `${label} ${r.context ? 'with context' : 'no context  '} n=${r.n} hit@1 ${r.hitAt1.toFixed(3)} hit@3 ${r.hitAt3.toFixed(3)} (context taken ${r.withContextFrom}/${r.n})`;
}
