/**
 * Defaults of the report ({@link buildReport}).
 *
 * | option | default | meaning |
 * |---|---|---|
 * | `threshold` | `0.85` | cosine similarity to a cluster's centroid that joins it. With all-MiniLM-L6-v2, rewordings of one question score 0.87–0.94 and different questions on one topic ("What did Putin and Kim sign?" / "Where did Kim and Putin meet?") 0.81: 0.85 keeps those apart, since a merged cluster would hide a question admins should see |
 * | `topUnanswered` | `10` | clusters listed |
 * | `topCited` | `10` | articles listed |
 * | `maxClustered` | `500` | distinct unanswered wordings embedded (the most recent); bounds the work of one report (500 took 7.6 s with all-MiniLM-L6-v2 q8 on the shared 2-core machine) |
 * | `variants` | `3` | other wordings shown per cluster |
 */
export const REPORT_DEFAULTS = {
  threshold: 0.85,
  topUnanswered: 10,
  topCited: 10,
  maxClustered: 500,
  variants: 3,
} as const;
