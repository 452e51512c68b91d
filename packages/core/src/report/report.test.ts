/**
 * The report over hand-written log entries, with the real all-MiniLM-L6-v2 (q8) for the
 * clustering: rewordings of one unanswered question form one cluster, other questions stay apart.
 */
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greedyClusters } from './cluster.js';
import { parseFeedbackLog, parseQuestionLog, questionLogLine } from './log.js';
import { buildReport } from './report.js';
import type { FeedbackVote, QuestionLogEntry } from './types.js';

let embedder: Embedder;

beforeAll(async () => {
  embedder = await createEmbedder({ model: 'all-MiniLM-L6-v2', dtype: 'q8', allowRemote: false });
});

afterAll(async () => {
  await embedder?.dispose();
});

const SNOWFLAKE = '123456789012345678';
let n = 0;
const q = (time: string, question: string, abstained: boolean, cited: string[] = []): QuestionLogEntry => ({
  time,
  question,
  abstained,
  cited,
  answerId: `a${++n}`,
});

const entries: QuestionLogEntry[] = [
  q('2026-11-30T09:00:00.000Z', 'What dog breed did Kim give Putin?', false, ['kim-dogs', 'summit']),
  q('2026-11-30T23:59:59.000Z', 'Who won the 2030 World Cup?', true),
  q('2026-12-01T00:00:00.000Z', 'Which country won the World Cup in 2030?', true),
  q('2026-12-01T08:00:00.000Z', 'What did Putin and Kim sign?', false, ['summit']),
  q('2026-12-01T10:00:00.000Z', 'What did Refco say about its bankruptcy filing?', true),
  q('2026-12-02T06:00:00.000Z', 'who won the 2030 world cup ?', true),
  q('2026-12-02T07:00:00.000Z', `who won the 2030 world cup, <@${SNOWFLAKE}>?`, true),
  q('2026-12-02T08:00:00.000Z', 'What did Putin and Kim sign?', false, ['summit', 'summit']),
];

const votes: FeedbackVote[] = [
  { time: '2026-11-30T09:01:00.000Z', answerId: 'a1', vote: 'helpful' },
  { time: '2026-12-01T08:01:00.000Z', answerId: 'a4', vote: 'helpful' },
  { time: '2026-12-01T08:02:00.000Z', answerId: 'a4', vote: 'not_helpful' },
  { time: '2026-12-02T08:01:00.000Z', answerId: 'a8', vote: 'helpful' },
];

describe('buildReport', () => {
  it('counts questions and unanswered ones per UTC day, and the abstention rate', async () => {
    const r = await buildReport(entries, votes, embedder);
    expect(r.questions).toBe(8);
    expect(r.abstained).toBe(5);
    expect(r.abstentionRate).toBeCloseTo(5 / 8, 10);
    expect(r.perDay).toEqual([
      { day: '2026-11-30', questions: 2, abstained: 1 },
      { day: '2026-12-01', questions: 3, abstained: 2 },
      { day: '2026-12-02', questions: 3, abstained: 2 },
    ]);
    expect(r.from).toBe('2026-11-30T09:00:00.000Z');
    expect(r.to).toBe('2026-12-02T08:00:00.000Z');
  });

  it('clusters rewordings of one unanswered question and keeps a different one apart', async () => {
    const r = await buildReport(entries, votes, embedder);
    expect(r.unanswered.map((c) => c.count)).toEqual([4, 1]);
    const [worldCup, refco] = r.unanswered;
    // "Who won the 2030 World Cup?" and its lower-case copy are one wording (asked twice), shown as first asked.
    expect(worldCup?.question).toBe('Who won the 2030 World Cup?');
    expect(worldCup?.variants).toEqual([
      'Which country won the World Cup in 2030?',
      'who won the 2030 world cup, [id]?',
    ]);
    expect(worldCup?.lastAsked).toBe('2026-12-02T07:00:00.000Z');
    expect(refco?.question).toBe('What did Refco say about its bankruptcy filing?');
    expect(r.clustering).toEqual({ threshold: 0.85, model: embedder.fingerprint.modelId, clustered: 4, leftOut: 0 });
  });

  it('a threshold over 1 keeps every wording apart; -1 puts them all together', async () => {
    expect((await buildReport(entries, [], embedder, { threshold: 1.01 })).unanswered.map((c) => c.count)).toEqual([
      2, 1, 1, 1,
    ]);
    expect((await buildReport(entries, [], embedder, { threshold: -1 })).unanswered.map((c) => c.count)).toEqual([5]);
  });

  it('clusters only the most recent wordings past maxClustered, and says how many were left out', async () => {
    const r = await buildReport(entries, [], embedder, { maxClustered: 2 });
    expect(r.clustering).toMatchObject({ clustered: 2, leftOut: 2 });
    expect(r.unanswered.map((c) => c.question)).toEqual(['Who won the 2030 World Cup?']);
    expect(r.unanswered[0]?.count).toBe(3);
  });

  it('gives the feedback ratio and the most cited articles (one count per answer), with titles', async () => {
    const r = await buildReport(entries, votes, embedder, {
      titles: new Map([['summit', 'Putin and Kim sign a pact']]),
    });
    expect(r.feedback).toEqual({ helpful: 3, notHelpful: 1, helpfulRatio: 0.75 });
    expect(r.topCited).toEqual([
      { articleId: 'summit', title: 'Putin and Kim sign a pact', citations: 3 },
      { articleId: 'kim-dogs', citations: 1 },
    ]);
  });

  it('since leaves older questions and votes out', async () => {
    const r = await buildReport(entries, votes, embedder, { since: new Date('2026-12-02T00:00:00Z') });
    expect(r.questions).toBe(3);
    expect(r.feedback).toEqual({ helpful: 1, notHelpful: 0, helpfulRatio: 1 });
    expect(r.perDay.map((d) => d.day)).toEqual(['2026-12-02']);
  });

  it("scope keeps only that scope's questions and the votes on their answers, and is not in the report", async () => {
    const scoped = [
      { ...q('2026-12-02T09:00:00.000Z', 'Who won the 2030 World Cup?', true), scope: 'guild-b' },
      { ...q('2026-12-02T09:30:00.000Z', 'What did Putin and Kim sign?', false, ['summit']), scope: 'guild-a' },
    ];
    const scopedVotes: FeedbackVote[] = [
      { time: '2026-12-02T09:31:00.000Z', answerId: scoped[1]?.answerId ?? '', vote: 'not_helpful' },
      { time: '2026-12-02T09:32:00.000Z', answerId: 'a1', vote: 'helpful' },
    ];
    const r = await buildReport([...entries, ...scoped], [...votes, ...scopedVotes], embedder, { scope: 'guild-a' });
    expect(r).toMatchObject({
      questions: 1,
      abstained: 0,
      unanswered: [],
      topCited: [{ articleId: 'summit', citations: 1 }],
    });
    expect(r.feedback).toEqual({ helpful: 0, notHelpful: 1, helpfulRatio: 0 });
    expect(JSON.stringify(r)).not.toContain('guild-');
    expect((await buildReport([...entries, ...scoped], [], embedder)).questions).toBe(10);
  });

  it('holds no Discord id, even one a question quoted, and nothing but the report fields', async () => {
    const r = await buildReport(entries, votes, embedder);
    const json = JSON.stringify(r);
    expect(json).not.toContain(SNOWFLAKE);
    expect(json).not.toMatch(/answerId|"user"/);
    expect(Object.keys(r).sort()).toEqual(
      [
        'abstained',
        'abstentionRate',
        'clustering',
        'feedback',
        'from',
        'perDay',
        'questions',
        'to',
        'topCited',
        'unanswered',
      ].sort(),
    );
  });

  it('an empty log gives an empty report', async () => {
    const r = await buildReport([], [], embedder);
    expect(r).toMatchObject({ questions: 0, abstentionRate: null, perDay: [], unanswered: [], topCited: [] });
    expect(r.feedback.helpfulRatio).toBeNull();
  });
});

describe('question and feedback logs', () => {
  it('round-trips entries, redacting ids and counting damaged lines', () => {
    const text = [
      questionLogLine(q('2026-12-02T07:00:00.000Z', `Ask <#${SNOWFLAKE}> about ${SNOWFLAKE}`, true, ['x', 'x'])),
      '{"time":"not a time","question":"q","abstained":true,"cited":[],"answerId":"z"}\n',
      '{"truncated by a cra',
    ].join('');
    const parsed = parseQuestionLog(text);
    expect(parsed.damaged).toBe(2);
    expect(parsed.entries).toEqual([
      {
        time: '2026-12-02T07:00:00.000Z',
        question: 'Ask [id] about [id]',
        abstained: true,
        cited: ['x'],
        answerId: expect.any(String),
      },
    ]);
  });

  it('reads only time, answer id and vote from the feedback log', () => {
    const line = JSON.stringify({
      time: '2026-12-02T07:00:00.000Z',
      answerId: 'a',
      question: 'secret?',
      user: 'ab12',
      vote: 'helpful',
    });
    expect(parseFeedbackLog(`${line}\n`).entries).toEqual([
      { time: '2026-12-02T07:00:00.000Z', answerId: 'a', vote: 'helpful' },
    ]);
  });
});

describe('greedyClusters', () => {
  it('joins a vector to the nearest centroid over the threshold, else starts a cluster', () => {
    const v = (...x: number[]) => Float32Array.from(x);
    expect(greedyClusters([v(1, 0), v(0.9, 0.1), v(0, 1), v(0.1, 0.9), v(1, 1)], 0.9)).toEqual([0, 0, 1, 1, 2]);
    expect(greedyClusters([], 0.5)).toEqual([]);
  });
});
