/** One line of the question log: a question asked where others could see it, and its outcome. */
export interface QuestionLogEntry {
  /** ISO time the question was answered. */
  time: string;
  /** The question as asked (never a private one: the bot does not log those). */
  question: string;
  abstained: boolean;
  /** Ids of the articles the answer cited, each once, in citation order. */
  cited: string[];
  /** The answer's id: joins feedback votes to the question. */
  answerId: string;
  /**
   * Who may see this entry in a report, opaque to core (the bot writes the server's id, so
   * one server's admins never see another's questions). Never written into a report.
   */
  scope?: string;
}

/** A feedback vote as the report reads it: who voted is never read. */
export interface FeedbackVote {
  time: string;
  answerId: string;
  vote: 'helpful' | 'not_helpful';
}

/** Questions asked on one UTC day. */
export interface ReportDay {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  questions: number;
  abstained: number;
}

/** Unanswered questions that mean the same, by embedding similarity. */
export interface UnansweredCluster {
  /** The most asked wording (the earliest of equals), ids redacted. */
  question: string;
  /** How often a question of the cluster was asked. */
  count: number;
  /** The other wordings, most asked first (at most {@link REPORT_DEFAULTS.variants}). */
  variants: string[];
  /** ISO time of the latest ask. */
  lastAsked: string;
}

/** An article and how many answers cited it. */
export interface CitedArticle {
  articleId: string;
  title?: string;
  citations: number;
}

/**
 * What admins learn from the question and feedback logs. Holds no user id, guild or channel id,
 * and no private question: the logs it is built from do not, and Discord ids that a question
 * quoted (`<@…>`, `<#…>`, bare 17–20 digit numbers) are replaced by `[id]`.
 */
export interface Report {
  /** The span of the questions counted (ISO times), null when there are none. */
  from: string | null;
  to: string | null;
  questions: number;
  abstained: number;
  /** abstained / questions, null without questions. */
  abstentionRate: number | null;
  /** Oldest day first; days without questions are left out. */
  perDay: ReportDay[];
  /** Largest first (ties: the most recently asked first). */
  unanswered: UnansweredCluster[];
  clustering: {
    /** Cosine similarity a question needs with a cluster's centroid to join it. */
    threshold: number;
    /** The embedder's model id. */
    model: string;
    /** Distinct unanswered wordings clustered, and how many were left out (over `maxClustered`, oldest first). */
    clustered: number;
    leftOut: number;
  };
  feedback: {
    helpful: number;
    notHelpful: number;
    /** helpful / (helpful + notHelpful), null without votes. */
    helpfulRatio: number | null;
  };
  /** Most cited first (ties by article id). */
  topCited: CitedArticle[];
}

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /** Only questions and votes at or after this time. */
  since?: Date;
  /**
   * Only the entries of this scope (see {@link QuestionLogEntry.scope}), and only the votes on
   * their answers. Absent: every entry and every vote.
   */
  scope?: string;
  /** Titles of the cited articles (e.g. from `kb.articles()`), by article id. */
  titles?: ReadonlyMap<string, string>;
  /** See {@link REPORT_DEFAULTS}. */
  threshold?: number;
  topUnanswered?: number;
  topCited?: number;
  maxClustered?: number;
}
