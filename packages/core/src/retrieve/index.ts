/** Retrieval: hybrid dense + BM25 search with fusion, evidence reranking and diversification. */

export { type IdfTable, questionIdf } from '../text/idf.js';
export { capPerArticle, dropNearDuplicates, maximalMarginalRelevance } from './diversify.js';
export { type FusedHit, type RankedList, type RetrieverName, reciprocalRankFusion } from './fuse.js';
export { type ResolvedSearchOptions, type RetrievalOptions, resolveSearchOptions } from './options.js';
export { MAX_QUESTION_CHARS, prepareQuestion } from './question.js';
export { RERANK_WEIGHTS, type RerankWeights, rerankByEvidence } from './rerank.js';
export { type CandidateList, cutCandidates, retrieveCandidates, type SearchResult, search } from './search.js';
