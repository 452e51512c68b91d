import type { Embedder } from '@newsrag/embed';
import { embedSentences } from '../answer/sentence-vectors.js';
import { citedMeta } from '../articles/meta-fields.js';
import type { IndexReader, ReadPlan, ScoredChunk } from '../store/contract.js';
import { syndicationOf } from '../syndication/reader.js';
import { evidenceAnalyzer } from '../text/analyzers.js';
import { type IdfTable, questionIdf } from '../text/idf.js';
import { sentenceSpansOf } from '../text/memo.js';
import type { Passage, SearchFilter } from '../types.js';
import { dot } from '../vector.js';
import { articleRows } from './article-rows.js';
import { articleStems } from './article-stems.js';
import { collapseCopies } from './copies.js';
import { capPerArticle, dropNearDuplicates, maximalMarginalRelevance } from './diversify.js';
import { type FusedHit, type RankedList, reciprocalRankFusion } from './fuse.js';
import { type ResolvedSearchOptions, type RetrievalOptions, resolveSearchOptions } from './options.js';
import { prepareQuestion } from './question.js';
import { type ArticleEvidence, rerankByEvidence } from './rerank.js';
import { retrievalTuningFor } from './tuning.js';

/** What {@link search} found, with the query vector (for answer scoring) and timings. */
export interface SearchResult {
  /** Best first, at most `k`, at most `perArticleCap` per article. */
  passages: Passage[];
  /** The embedded question, or null in `bm25` mode (nothing was embedded). */
  queryVector: Float32Array | null;
  /** IDF of the question's content terms over the index (reused by the answer stage). */
  idf: IdfTable;
  /** The reader the passages came from: the one searched, or its prepared slice (see `IndexReader.prepare`). */
  reader: IndexReader;
  embedMs: number;
  searchMs: number;
}

/** Every fused (and reranked) candidate, before the per-article cap; see {@link retrieveCandidates}. */
export interface CandidateList {
  /** Best first; `rank` is 0 (ranks are given when the final list is cut). */
  candidates: Passage[];
  /** Index row of each candidate, by chunk id (for the stored vectors). */
  rows: ReadonlyMap<string, number>;
  queryVector: Float32Array | null;
  idf: IdfTable;
  /** What later stages read: the reader searched, or the slice it prepared for this question. */
  reader: IndexReader;
  embedMs: number;
  searchMs: number;
}

/**
 * The ranking stage of {@link search} without the cut: candidates of the retrievers, fused,
 * reranked. The answer stage draws sentences from a wider cut of this list than it returns.
 */
export async function retrieveCandidates(
  index: IndexReader,
  embedder: Embedder,
  question: string,
  opts: ResolvedSearchOptions,
): Promise<CandidateList> {
  let queryVector: Float32Array | null = null;
  let embedMs = 0;
  let sentenceEmbedMs = 0;
  if (opts.mode !== 'bm25') {
    const t0 = performance.now();
    queryVector = await embedder.embedQuery(question);
    embedMs = performance.now() - t0;
  }
  const t1 = performance.now();
  const reader = index.prepare ? await index.prepare(readPlan(question, queryVector, opts)) : index;
  const lists: RankedList[] = [];
  if (queryVector) {
    lists.push({
      retriever: 'dense',
      weight: opts.denseWeight,
      hits: reader.denseSearch(queryVector, opts.candidates, opts.filter),
    });
  }
  if (opts.mode !== 'dense') {
    lists.push({
      retriever: 'bm25',
      weight: opts.bm25Weight,
      hits: lexicalHits(reader, question, opts.candidates, opts.filter),
    });
  }
  const idf = questionIdf(reader, question);
  const hits = reciprocalRankFusion(lists, opts.rrfK);
  const rows = new Map<string, number>();
  const fused = hits.map((hit) => {
    const p = candidate(reader, hit);
    rows.set(p.chunkId, hit.row);
    return p;
  });
  const vectorOf = (p: Passage) => reader.vector(rows.get(p.chunkId) as number);
  const qv = queryVector;
  const cosineOf = qv ? (p: Passage) => dot(qv, vectorOf(p)) : undefined;
  const withStems = opts.rerankWeights.articleCoverage > 0;
  const articleOf = (articleId: string) => articleEvidence(reader, articleId, qv, withStems);
  let candidates =
    opts.rerankDepth > 0
      ? rerankByEvidence(fused, idf, opts.rerankDepth, opts.rerankWeights, cosineOf, articleOf)
      : fused;
  if (qv && opts.rerankDepth > 0 && opts.rerankWeights.sentenceDense > 0 && opts.sentenceDepth > 0) {
    // Second pass: the best sentence's cosine of the leading passages (their sentences are
    // embedded once per embedder and reused by the answer stage, see sentence-vectors.ts).
    const te = performance.now();
    const sentenceCosines = await bestSentenceCosines(embedder, qv, candidates.slice(0, opts.sentenceDepth));
    sentenceEmbedMs = performance.now() - te;
    embedMs += sentenceEmbedMs;
    candidates = rerankByEvidence(
      fused,
      idf,
      opts.rerankDepth,
      opts.rerankWeights,
      cosineOf,
      articleOf,
      sentenceCosines,
    );
  }
  candidates = collapseCopies(candidates, syndicationOf(reader), reader);
  if (opts.duplicateCosine < 1) candidates = dropNearDuplicates(candidates, vectorOf, opts.duplicateCosine);
  if (opts.mmrLambda !== undefined) {
    // MMR over the head only: it is quadratic, and the tail is never shown.
    const depth = Math.max(30, opts.k * 3);
    const head = maximalMarginalRelevance(candidates.slice(0, depth), vectorOf, depth, opts.mmrLambda);
    candidates = [...head, ...candidates.slice(depth)];
  }
  if (opts.preferArticles.size > 0) candidates = preferArticles(candidates, opts.preferArticles, opts.preferRanks);
  return { candidates, rows, queryVector, idf, reader, embedMs, searchMs: performance.now() - t1 - sentenceEmbedMs };
}

/** What {@link retrieveCandidates} and the answer stage will read, for a reader that prepares (see `IndexReader.prepare`). */
function readPlan(question: string, queryVector: Float32Array | null, opts: ResolvedSearchOptions): ReadPlan {
  const query = opts.mode === 'dense' ? null : evidenceAnalyzer.lexicalQuery(question);
  return {
    queryVector,
    lexicalQuery: query !== null && /[\p{L}\p{N}]/u.test(query) ? query : null,
    k: opts.candidates,
    ...(opts.filter ? { filter: opts.filter } : {}),
    // questionIdf and unknownNames ask by surface word, never for a stopword.
    words: [
      ...new Set(
        evidenceAnalyzer.tokenize(question).flatMap((t) => (evidenceAnalyzer.isStopWord(t.word) ? [] : [t.word])),
      ),
    ],
  };
}

/**
 * Moves the candidates of `preferred` articles up `places` positions (stable otherwise): the
 * boost a follow-up gives the articles already cited. Pure.
 */
export function preferArticles<T extends { articleId: string }>(
  candidates: readonly T[],
  preferred: ReadonlySet<string>,
  places: number,
): T[] {
  return candidates
    .map((p, i) => ({ p, key: preferred.has(p.articleId) ? i - places - 0.5 : i }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.p);
}

/**
 * The first `k` candidates, numbered from 1, with at most `cap` per article among the
 * leading ones. The cap is for diversity, not a limit on how many passages a caller gets:
 * when it leaves fewer than `k` (a corpus of few articles), the list is filled up to `k`
 * with the next candidates in rank order, after the capped ones.
 */
export function cutCandidates(candidates: readonly Passage[], cap: number, k: number): Passage[] {
  const out = capPerArticle(candidates, cap, k);
  if (out.length < k) {
    const taken = new Set(out);
    for (const p of candidates) {
      if (out.length >= k) break;
      if (!taken.has(p)) out.push(p);
    }
  }
  return out.map((p, i) => ({ ...p, rank: i + 1 }));
}

/**
 * Retrieves the passages that best match a question.
 *
 * 1. Candidates: `hybrid` (default) takes the dense cosine top-`candidates` and the BM25
 *    top-`candidates` (BM25 over the question's content words); `dense`/`bm25` use one retriever.
 * 2. Weighted reciprocal rank fusion (see `fuse.ts`); each passage keeps every retriever's rank and raw score.
 * 3. In `hybrid` and `bm25` mode the first `rerankDepth` fused candidates are re-ordered by
 *    lexical evidence (see `rerank.ts`); `passage.score` stays the fused RRF score, `rank` is the final order.
 * 4. One copy per story: of near-duplicate articles (see `nearDuplicateGroups`) only the
 *    best-ranked one's passages stay, listing the others in `alsoPublishedBy`
 *    (see `collapseCopies`). Near-identical passages (stored vectors with cosine ≥
 *    `duplicateCosine`) are dropped after the first; with `mmrLambda`, maximal marginal relevance over the stored vectors (see `diversify.ts`).
 * 5. At most `perArticleCap` passages per article, then the first `k` (filled up to `k` past the
 *    cap when the corpus has too few articles; see {@link cutCandidates}).
 *
 * The filter (article ids, sources, date range) is applied by the reader, before ranking.
 * Passages carry their article's metadata and offsets into its text.
 *
 * @throws NewsragError `BAD_QUESTION` (empty question), `BAD_OPTIONS` (invalid option, naming it)
 */
export async function search(
  reader: IndexReader,
  embedder: Embedder,
  question: string,
  options: RetrievalOptions = {},
): Promise<SearchResult> {
  const q = prepareQuestion(question);
  const opts = resolveSearchOptions(options, retrievalTuningFor(embedder.fingerprint));
  const found = await retrieveCandidates(reader, embedder, q, opts);
  const t = performance.now();
  const passages = cutCandidates(found.candidates, opts.perArticleCap, opts.k);
  return {
    passages,
    queryVector: found.queryVector,
    idf: found.idf,
    reader: found.reader,
    embedMs: found.embedMs,
    searchMs: found.searchMs + (performance.now() - t),
  };
}

/** Minimum letters and digits of a sentence worth embedding (shorter ones are bylines and fragments). */
const MIN_SENTENCE_CHARS = 12;

/** Each passage's best sentence cosine with the question. */
async function bestSentenceCosines(
  embedder: Embedder,
  queryVector: Float32Array,
  passages: readonly Passage[],
): Promise<Map<Passage, number>> {
  const texts: string[] = [];
  const owner: Passage[] = [];
  for (const p of passages) {
    for (const span of sentenceSpansOf(p.text)) {
      const text = p.text.slice(span.start, span.end);
      if (text.replace(/[^\p{L}\p{N}]/gu, '').length < MIN_SENTENCE_CHARS) continue;
      texts.push(text);
      owner.push(p);
    }
  }
  const vectors = await embedSentences(embedder, texts);
  const out = new Map<Passage, number>();
  vectors.forEach((v, i) => {
    const p = owner[i] as Passage;
    out.set(p, Math.max(out.get(p) ?? Number.NEGATIVE_INFINITY, dot(queryVector, v)));
  });
  return out;
}

/** The best cosine of any passage of an article (0 without a query vector) and the stems of all its passages and title. */
function articleEvidence(
  reader: IndexReader,
  articleId: string,
  queryVector: Float32Array | null,
  withStems: boolean,
): ArticleEvidence {
  let cosine = 0;
  if (queryVector)
    for (const row of articleRows(reader).get(articleId) ?? [])
      cosine = Math.max(cosine, dot(queryVector, reader.vector(row)));
  // Tokenizing a whole article is the costly part (cached per reader); skipped when its coverage weighs nothing.
  const stems = withStems ? articleStems(reader, articleId) : new Set<string>();
  return { cosine, stems };
}

/** BM25 over the question's content words; a question of only stopwords/emoji simply finds nothing. */
function lexicalHits(
  reader: IndexReader,
  question: string,
  k: number,
  filter: SearchFilter | undefined,
): ScoredChunk[] {
  const query = evidenceAnalyzer.lexicalQuery(question);
  if (!/[\p{L}\p{N}]/u.test(query)) return [];
  return reader.lexicalSearch(query, k, filter);
}

function candidate(reader: IndexReader, hit: FusedHit): Passage {
  const chunk = reader.chunk(hit.row);
  const meta = reader.article(chunk.articleId)?.meta ?? {};
  return {
    rank: 0,
    chunkId: chunk.id,
    articleId: chunk.articleId,
    ...citedMeta(meta),
    text: chunk.text,
    start: chunk.start,
    end: chunk.end,
    score: hit.score,
    retrievers: hit.retrievers,
  };
}
