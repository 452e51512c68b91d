import { randomUUID } from 'node:crypto';
import type { Embedder } from '@newsrag/embed';
import { DEFAULTS } from '../config.js';
import { followUpSearchOptions, rewriteFollowUp } from '../conversation/rewrite.js';
import type { FollowUp } from '../conversation/types.js';
import { articleStems } from '../retrieve/article-stems.js';
import { resolveSearchOptions } from '../retrieve/options.js';
import { prepareQuestion } from '../retrieve/question.js';
import { cutCandidates, retrieveCandidates } from '../retrieve/search.js';
import { retrievalTuningFor } from '../retrieve/tuning.js';
import { questionNames, unknownNames } from '../retrieve/unknown-names.js';
import type { IndexReader } from '../store/contract.js';
import { coverage } from '../text/coverage.js';
import type { IdfTable } from '../text/idf.js';
import type { Answer, AnswerOptions, Passage } from '../types.js';
import { candidateSentences, worthEmbedding } from './candidates.js';
import { type ConfidenceFeatures, confidenceFeatures, confidenceOf } from './confidence.js';
import { groupCorroborations } from './corroborate.js';
import { factKeys } from './facts.js';
import { answerText, toCitations, withDates } from './format.js';
import { resolveAnswerOptions } from './options.js';
import { asksForExchange, completeExchange } from './reciprocal.js';
import { comparable, selectSentences } from './select.js';
import { type ScoredSentence, scoreSentences } from './sentence-score.js';
import { embedSentences } from './sentence-vectors.js';
import { calibrationFor } from './thresholds.js';
import { whenOf } from './when.js';

/** Where quotable sentences come from: {@link DEFAULTS}`.answer.pool` (its measurements are there). */
const POOL = DEFAULTS.answer.pool;

/** How much of the question (its names, all its terms) the article of the best sentence covers anywhere. */
function articleSupport(
  reader: IndexReader,
  articleId: string,
  question: string,
  idf: IdfTable,
): { nameCoverage: number; articleCoverage: number } {
  const stems = articleStems(reader, articleId);
  const names = questionNames(question, idf);
  return { nameCoverage: names.size > 0 ? coverage(names, stems) : 1, articleCoverage: coverage(idf, stems) };
}

/** The question as asked and the query an answer searches with (the rewrite of a follow-up). */
function answerQuery(
  question: string,
  options: Pick<AnswerOptions, 'conversation'>,
): { asked: string; followUp: FollowUp | null; query: string } {
  const asked = prepareQuestion(question);
  // A follow-up is retrieved and scored with its rewrite; the answer still shows the question as asked.
  const followUp = options.conversation ? rewriteFollowUp(options.conversation, asked) : null;
  return { asked, followUp, query: followUp ? prepareQuestion(followUp.query) : asked };
}

/**
 * The text {@link answer} embeds as its query for `question` with these options: the question
 * normalised (see `prepareQuestion`), or a follow-up's rewrite in its conversation. It is also
 * the answer's `query`. For priming the embedder's query cache ahead of the answer.
 *
 * @throws NewsragError `BAD_QUESTION` for an empty question
 */
export function answerQueryText(question: string, options: Pick<AnswerOptions, 'conversation'> = {}): string {
  return answerQuery(question, options).query;
}

/** An {@link Answer} plus what led to it (for calibration and debugging). */
export interface AnswerTrace {
  answer: Answer;
  features: ConfidenceFeatures | null;
  threshold: number;
  /** Candidate sentences, best first. */
  sentences: ScoredSentence[];
}

/**
 * Answers a question extractively: retrieves passages (see `search`), scores their
 * sentences against the question (embedding cosine, IDF-weighted term coverage, the
 * asked-for kind of answer, passage rank), and quotes the best one or two verbatim with
 * `[n]` markers. Cited sentences of different articles that say the same thing are
 * grouped as corroborations.
 *
 * Abstains (`abstained: true`, `answer: null`, the closest passages still returned) when
 * the confidence is below the embedder's calibrated threshold (see `thresholds.ts`) or
 * `options.minConfidence`, and when the question has no letters or digits (only emoji or
 * punctuation). Questions over 2,000 characters are truncated for search.
 *
 * Sentences are drawn from `DEFAULTS.answer.pool` (wider than `k`), so a quote may come from a
 * passage that is not among the returned `passages`; its citation carries that passage's
 * text and offsets.
 *
 * @throws NewsragError `BAD_QUESTION` for an empty question, `BAD_OPTIONS` for invalid options
 */
export async function answer(
  reader: IndexReader,
  embedder: Embedder,
  question: string,
  options: AnswerOptions = {},
): Promise<Answer> {
  return (await answerWithTrace(reader, embedder, question, options)).answer;
}

/** {@link answer}, also returning the confidence features and scored sentences. */
export async function answerWithTrace(
  index: IndexReader,
  embedder: Embedder,
  question: string,
  options: AnswerOptions = {},
): Promise<AnswerTrace> {
  const t0 = performance.now();
  const { asked, followUp, query: q } = answerQuery(question, options);
  const calibration = calibrationFor(embedder.fingerprint);
  const { maxSentences, minConfidence: threshold, maxSentencesSet } = resolveAnswerOptions(options, calibration);

  const opts = resolveSearchOptions(
    followUp ? followUpSearchOptions(followUp, options) : options,
    retrievalTuningFor(embedder.fingerprint),
  );
  const found = await retrieveCandidates(index, embedder, q, opts);
  // The index itself, or the slice of it prepared for this question (a server engine's).
  const { reader } = found;
  let { embedMs } = found;
  const { searchMs } = found;
  const passages = cutCandidates(found.candidates, opts.perArticleCap, opts.k);
  // Sentences come from a wider cut than the passages returned (see DEFAULTS.answer.pool), so a
  // second article that confirms the answer can be found even when k is small.
  const pool = cutCandidates(found.candidates, Math.max(opts.perArticleCap, POOL.perArticle), POOL.passages);
  const t1 = performance.now();

  const { idf } = found;
  // An exchange's other side rarely shares the question's words: embed every pooled sentence then.
  const exchange = asksForExchange(q);
  const candidates =
    idf.size > 0
      ? worthEmbedding(candidateSentences(pool, POOL.passages), idf, exchange ? POOL.passages : POOL.allSentencesOf)
      : [];
  let sentences: ScoredSentence[] = [];
  if (candidates.length > 0) {
    const te = performance.now();
    const queryVector = found.queryVector ?? (await embedder.embedQuery(q));
    const vectors = await embedSentences(
      embedder,
      candidates.map((c) => c.text),
    );
    embedMs += performance.now() - te;
    sentences = scoreSentences(q, candidates, vectors, queryVector, idf);
  }
  const best = sentences[0];
  const features = confidenceFeatures(
    best,
    passages,
    calibration.cosine,
    best ? articleSupport(reader, best.passage.articleId, q, idf) : undefined,
  );
  const confidence = confidenceOf(features, calibration.weights);
  // A name the archive never mentions cannot be answered from it (see unknown-names.ts).
  const notFound = unknownNames(reader, q);
  const abstained = sentences.length === 0 || confidence < threshold || notFound.length > 0;
  const questionFacts = factKeys(q);
  let picks = abstained ? [] : selectSentences(sentences, idf, maxSentences, calibration.corroboration, questionFacts);
  // Both sides of an exchange need room: one more quote than the default allows, unless the caller set a limit.
  if (exchange && !abstained) picks = completeExchange(picks, sentences, maxSentences + (maxSentencesSet ? 0 : 1));
  const citations = withDates(reader, toCitations(picks));
  const questionStems = new Set(idf.keys());
  const corroborations = groupCorroborations(
    picks.map(comparable),
    questionStems,
    calibration.corroboration,
    questionFacts,
  );
  const t2 = performance.now();
  const answerMs = t2 - t1 - (embedMs - found.embedMs);
  const result: Answer = {
    id: randomUUID(),
    question: asked,
    answer: abstained ? null : answerText(citations),
    abstained,
    confidence,
    notFound,
    citations,
    corroborations,
    passages: passages satisfies Passage[],
    when: abstained ? null : whenOf(q, citations),
    timings: { embedMs, searchMs, answerMs: Math.max(0, answerMs), totalMs: t2 - t0 },
    query: q,
    ...(followUp ? { contextFrom: followUp.contextFrom } : {}),
  };
  return { answer: result, features, threshold, sentences };
}
