import type { Embedder } from '@newsrag/embed';
import { greedyClusters } from './cluster.js';
import { REPORT_DEFAULTS } from './defaults.js';
import { redactIds } from './log.js';
import type {
  CitedArticle,
  FeedbackVote,
  QuestionLogEntry,
  Report,
  ReportOptions,
  UnansweredCluster,
} from './types.js';

/** One way of asking: the wording shown, how often and when it was last asked. */
interface Wording {
  text: string;
  count: number;
  first: string;
  last: string;
}

/** Case, spacing and end punctuation do not make a question different. Pure. */
function wordingKey(question: string): string {
  return question
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?.!…]+$/u, '')
    .trim();
}

/**
 * The report admins read: questions per UTC day, the abstention rate, the most frequent
 * unanswered questions clustered by meaning (embedded with `embedder`, the knowledge base's
 * own, then {@link greedyClusters} at `threshold`), the feedback ratio and the most cited
 * articles. Logic only: the caller reads the logs (see {@link readQuestionLog},
 * {@link readFeedbackLog}). No user, guild or channel id is read or written; ids quoted in
 * questions are redacted.
 *
 * @param questions question log entries (any order).
 * @param votes feedback votes (any order).
 * @param embedder embeds the distinct unanswered wordings (in batches, as documents: both sides
 *   of the comparison are questions, so they are embedded alike).
 */
export async function buildReport(
  questions: readonly QuestionLogEntry[],
  votes: readonly FeedbackVote[],
  embedder: Embedder,
  options: ReportOptions = {},
): Promise<Report> {
  const threshold = options.threshold ?? REPORT_DEFAULTS.threshold;
  const since = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const inRange = (time: string) => Date.parse(time) >= since;
  const scope = options.scope;
  const asked = questions
    .filter((q) => inRange(q.time) && (scope === undefined || q.scope === scope))
    .sort((a, b) => a.time.localeCompare(b.time));
  const answers = scope === undefined ? null : new Set(asked.map((q) => q.answerId));

  const days = new Map<string, { questions: number; abstained: number }>();
  const cited = new Map<string, number>();
  const wordings = new Map<string, Wording>();
  let abstained = 0;
  for (const q of asked) {
    const day = new Date(q.time).toISOString().slice(0, 10);
    const d = days.get(day) ?? { questions: 0, abstained: 0 };
    d.questions++;
    if (q.abstained) {
      d.abstained++;
      abstained++;
      const text = redactIds(q.question.replace(/\s+/g, ' ').trim());
      const key = wordingKey(text);
      const w = wordings.get(key);
      if (w) {
        w.count++;
        w.last = q.time;
      } else wordings.set(key, { text, count: 1, first: q.time, last: q.time });
    }
    days.set(day, d);
    for (const id of new Set(q.cited)) cited.set(id, (cited.get(id) ?? 0) + 1);
  }

  const { clusters, clustered, leftOut } = await clusterWordings(
    [...wordings.values()],
    embedder,
    threshold,
    options.maxClustered ?? REPORT_DEFAULTS.maxClustered,
  );

  let helpful = 0;
  let notHelpful = 0;
  for (const v of votes) {
    if (!inRange(v.time) || (answers !== null && !answers.has(v.answerId))) continue;
    if (v.vote === 'helpful') helpful++;
    else notHelpful++;
  }

  const topCited: CitedArticle[] = [...cited.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.topCited ?? REPORT_DEFAULTS.topCited)
    .map(([articleId, citations]) => {
      const title = options.titles?.get(articleId);
      return title ? { articleId, title, citations } : { articleId, citations };
    });

  return {
    from: asked[0]?.time ?? null,
    to: asked.at(-1)?.time ?? null,
    questions: asked.length,
    abstained,
    abstentionRate: asked.length > 0 ? abstained / asked.length : null,
    perDay: [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, d]) => ({ day, ...d })),
    unanswered: clusters.slice(0, options.topUnanswered ?? REPORT_DEFAULTS.topUnanswered),
    clustering: { threshold, model: embedder.fingerprint.modelId, clustered, leftOut },
    feedback: {
      helpful,
      notHelpful,
      helpfulRatio: helpful + notHelpful > 0 ? helpful / (helpful + notHelpful) : null,
    },
    topCited,
  };
}

async function clusterWordings(
  all: Wording[],
  embedder: Embedder,
  threshold: number,
  max: number,
): Promise<{ clusters: UnansweredCluster[]; clustered: number; leftOut: number }> {
  // The most recent wordings when there are too many; then most asked first, so each cluster
  // grows around its most frequent wording.
  const kept = [...all].sort((a, b) => b.last.localeCompare(a.last)).slice(0, max);
  kept.sort((a, b) => b.count - a.count || a.first.localeCompare(b.first));
  const vectors = kept.length > 0 ? await embedder.embedDocuments(kept.map((w) => w.text)) : [];
  const assignment = greedyClusters(vectors, threshold);
  const groups: Wording[][] = [];
  assignment.forEach((c, i) => {
    groups[c] ??= [];
    (groups[c] as Wording[]).push(kept[i] as Wording);
  });
  const clusters = groups.map((members): UnansweredCluster => {
    const [head, ...rest] = members as [Wording, ...Wording[]];
    return {
      question: head.text,
      count: members.reduce((n, w) => n + w.count, 0),
      variants: rest.slice(0, REPORT_DEFAULTS.variants).map((w) => w.text),
      lastAsked:
        members
          .map((w) => w.last)
          .sort()
          .at(-1) ?? head.last,
    };
  });
  clusters.sort((a, b) => b.count - a.count || b.lastAsked.localeCompare(a.lastAsked));
  return { clusters, clustered: kept.length, leftOut: all.length - kept.length };
}
