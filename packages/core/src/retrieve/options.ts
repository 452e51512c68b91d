import { DEFAULTS } from '../config.js';
import { optionChecks } from '../option-checks.js';
import type { SearchFilter, SearchMode, SearchOptions } from '../types.js';
import { RERANK_WEIGHTS, type RerankWeights } from './rerank.js';
import { type RetrievalTuning, TRANSFORMER_TUNING } from './tuning.js';

/**
 * {@link SearchOptions} plus retrieval knobs that are not part of the public contract
 * (for tuning and evaluation).
 */
export interface RetrievalOptions extends SearchOptions {
  /**
   * Fused candidates re-ordered by lexical evidence before the per-article cap (default 30;
   * 0 turns it off). Applies in `hybrid` and `bm25` mode; `dense` stays a pure embedding ranking.
   */
  rerankDepth?: number;
  /** Overrides of the rerank weights (see `RERANK_WEIGHTS`), for tuning. */
  rerankWeights?: Partial<RerankWeights>;
  /**
   * Maximal marginal relevance over the stored vectors after reranking (1 = relevance only,
   * lower = more novelty); off when absent. Pushes near-identical passages (the BBC corpus
   * has 98 byte-identical article pairs, which the per-article cap cannot catch) down the list.
   */
  mmrLambda?: number;
  /** See `DEFAULTS.search.duplicateCosine` (default 0.995; 1 turns it off). */
  duplicateCosine?: number;
  /** Places a preferred article's candidate moves up (default `DEFAULTS.search.preferRanks`). */
  preferRanks?: number;
  /** See `DEFAULTS.search.sentenceDepth`. */
  sentenceDepth?: number;
}

/** Options with every default filled in. */
export interface ResolvedSearchOptions {
  k: number;
  mode: SearchMode;
  filter: SearchFilter | undefined;
  perArticleCap: number;
  rrfK: number;
  denseWeight: number;
  bm25Weight: number;
  candidates: number;
  rerankDepth: number;
  rerankWeights: RerankWeights;
  mmrLambda: number | undefined;
  duplicateCosine: number;
  /** Articles whose candidates are moved up (see `SearchOptions.preferArticles`); empty: none. */
  preferArticles: ReadonlySet<string>;
  preferRanks: number;
  sentenceDepth: number;
}

const MODES: readonly SearchMode[] = ['hybrid', 'dense', 'bm25'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const { bad, int, num, fraction } = optionChecks('Search');

function checkFilter(filter: SearchFilter | undefined): SearchFilter | undefined {
  if (filter === undefined) return undefined;
  for (const field of ['dateFrom', 'dateTo'] as const) {
    const v = filter[field];
    if (v !== undefined && (typeof v !== 'string' || !ISO_DATE.test(v) || Number.isNaN(Date.parse(v)))) {
      throw bad(`filter.${field}`, `must be a date YYYY-MM-DD, got ${JSON.stringify(v)}.`);
    }
  }
  if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) {
    throw bad('filter.dateFrom', `(${filter.dateFrom}) is after filter.dateTo (${filter.dateTo}).`);
  }
  for (const field of ['articleIds', 'sources', 'collections', 'languages'] as const) {
    const v = filter[field];
    if (v !== undefined && (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))) {
      throw bad(`filter.${field}`, 'must be a list of strings.');
    }
  }
  return filter;
}

function checkPrefer(ids: readonly string[] | undefined): ReadonlySet<string> {
  if (ids === undefined) return new Set();
  if (!Array.isArray(ids) || ids.some((s) => typeof s !== 'string'))
    throw bad('preferArticles', 'must be a list of article ids.');
  return new Set(ids);
}

/**
 * Validates search options (→ `BAD_OPTIONS` naming the field) and fills in the defaults;
 * the dense weights come from the embedder's `tuning` (see `tuning.ts`) unless given.
 */
export function resolveSearchOptions(
  options: RetrievalOptions = {},
  tuning: RetrievalTuning = TRANSFORMER_TUNING,
): ResolvedSearchOptions {
  const mode = options.mode ?? DEFAULTS.search.mode;
  if (!MODES.includes(mode)) throw bad('mode', `must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}.`);
  const k = int('k', options.k, DEFAULTS.search.k, 1, 100);
  return {
    k,
    mode,
    filter: checkFilter(options.filter),
    perArticleCap: int('perArticleCap', options.perArticleCap, DEFAULTS.search.perArticleCap, 0, 1000),
    rrfK: num('rrfK', options.rrfK, DEFAULTS.search.rrfK),
    denseWeight: num('denseWeight', options.denseWeight, tuning.denseWeight),
    bm25Weight: num('bm25Weight', options.bm25Weight, DEFAULTS.search.bm25Weight),
    candidates: Math.max(k, int('candidates', options.candidates, DEFAULTS.search.candidates, 1, 10_000)),
    rerankDepth: mode === 'dense' ? 0 : int('rerankDepth', options.rerankDepth, DEFAULTS.search.rerankDepth, 0, 1000),
    mmrLambda: options.mmrLambda === undefined ? undefined : fraction('mmrLambda', options.mmrLambda, 0),
    duplicateCosine: fraction('duplicateCosine', options.duplicateCosine, DEFAULTS.search.duplicateCosine),
    preferArticles: checkPrefer(options.preferArticles),
    preferRanks: num('preferRanks', options.preferRanks, DEFAULTS.search.preferRanks),
    sentenceDepth: int('sentenceDepth', options.sentenceDepth, DEFAULTS.search.sentenceDepth, 0, 100),
    rerankWeights: {
      sentence: num('rerankWeights.sentence', options.rerankWeights?.sentence, RERANK_WEIGHTS.sentence),
      passage: num('rerankWeights.passage', options.rerankWeights?.passage, RERANK_WEIGHTS.passage),
      dense: num('rerankWeights.dense', options.rerankWeights?.dense, tuning.rerankDense),
      articleDense: num('rerankWeights.articleDense', options.rerankWeights?.articleDense, tuning.rerankArticleDense),
      articleCoverage: num(
        'rerankWeights.articleCoverage',
        options.rerankWeights?.articleCoverage,
        tuning.rerankArticleCoverage,
      ),
      sentenceDense: num(
        'rerankWeights.sentenceDense',
        options.rerankWeights?.sentenceDense,
        tuning.rerankSentenceDense,
      ),
      prior: num('rerankWeights.prior', options.rerankWeights?.prior, RERANK_WEIGHTS.prior),
      priorK: num('rerankWeights.priorK', options.rerankWeights?.priorK, RERANK_WEIGHTS.priorK),
    },
  };
}
