import type { ConsistencyReport } from './store/contract.js';

/** Metadata of an article; every field is optional and never invented. */
export interface ArticleMeta {
  title?: string;
  /** ISO date `YYYY-MM-DD`, only when the article states one. */
  date?: string;
  url?: string;
  source?: string;
  author?: string;
  /**
   * The collection the article says it belongs to; wins over its top folder (see `collectionOf`).
   * Checked when read (see `isCollectionName`): an invalid name is reported and ignored.
   */
  collection?: string;
  /** Primary language tag, lower-case (`en`, `fr`), from metadata or HTML `<html lang>`. */
  language?: string;
}

/** An article as read from disk. Offsets of chunks and citations point into `text`. */
export interface Article {
  /** Path relative to the corpus root, without extension, `/`-separated (e.g. `bbc/tech/001`). */
  id: string;
  /** Absolute path of the file it came from (for JSONL, the file plus `#line`). */
  path: string;
  /** sha256 (hex) of `text` plus the metadata: changes when either changes. */
  hash: string;
  /** The article's text exactly as quoted (after decoding / HTML extraction / front matter removal). */
  text: string;
  meta: ArticleMeta;
}

/** A problem with one input file; ingestion goes on with the rest. */
export interface IngestIssue {
  path: string;
  code: 'ARTICLE_UNREADABLE' | 'ARTICLE_EMPTY' | 'ARTICLE_TOO_LARGE' | 'ARTICLE_BAD_FORMAT' | 'ARTICLE_DUPLICATE';
  message: string;
  /** Set when the article was indexed anyway and the issue is only a warning (same text as another article). */
  indexed?: true;
}

/** A passage of an article: whole sentences, `text === article.text.slice(start, end)`. */
export interface Chunk {
  /** `${articleId}#${ordinal}` */
  id: string;
  articleId: string;
  ordinal: number;
  start: number;
  end: number;
  text: string;
  /** Tokens of the embedded form (header + text), counted with the embedder's tokenizer. */
  tokens: number;
}

/** What the index keeps of an article (not its full text). */
export interface ArticleRecord {
  id: string;
  path: string;
  hash: string;
  meta: ArticleMeta;
  /** Length of `Article.text`, so offsets can be checked without the file. */
  length: number;
  chunkCount: number;
  /**
   * Shingle signature of the text for near-duplicate detection (see `syndication/`). Absent in
   * indexes written before it existed; the next `index` run fills it in without re-embedding.
   */
  signature?: import('./syndication/signature.js').ArticleSignature;
}

/** Restricts a search. All given conditions must hold. */
export interface SearchFilter {
  articleIds?: string[];
  sources?: string[];
  /**
   * Only articles of these collections (see `collectionOf`: the article's `collection` field,
   * else the first folder under the articles root).
   */
  collections?: string[];
  /**
   * Only articles in these languages (primary tags such as `en`, `fr`, lower-case). Articles
   * that state no language pass every language filter: most sources do not say, and
   * excluding them would empty a limited channel.
   */
  languages?: string[];
  /** Inclusive `YYYY-MM-DD`; articles without a date are excluded when a range is given. */
  dateFrom?: string;
  dateTo?: string;
}

/** Which retrievers found a passage, with their rank (1-based) and raw score. */
export interface RetrieverHits {
  dense?: { rank: number; score: number };
  bm25?: { rank: number; score: number };
}

/** Another outlet's copy of a passage's article (a near-duplicate: syndicated, lightly edited). */
export interface PublishedCopy {
  articleId: string;
  title?: string;
  source?: string;
  url?: string;
  date?: string;
}

/** A retrieved passage. */
export interface Passage {
  /** 1-based. */
  rank: number;
  chunkId: string;
  articleId: string;
  title?: string;
  date?: string;
  source?: string;
  url?: string;
  text: string;
  /** Offsets of `text` in the article's text. */
  start: number;
  end: number;
  /** Fused score (RRF), higher is better. */
  score: number;
  retrievers: RetrieverHits;
  /**
   * The other copies of this article's story (near-duplicates, see `nearDuplicateGroups`),
   * the group's canonical first; search shows one copy per story. Absent when it has none.
   */
  alsoPublishedBy?: PublishedCopy[];
}

export type SearchMode = 'hybrid' | 'dense' | 'bm25';

export interface SearchOptions {
  /** Passages to return (default 5). */
  k?: number;
  mode?: SearchMode;
  filter?: SearchFilter;
  /** At most this many passages from one article (default 2; 0 = no cap). */
  perArticleCap?: number;
  /** Reciprocal rank fusion: score = Σ weight / (rrfK + rank). Defaults: 60, dense 1, bm25 1. */
  rrfK?: number;
  denseWeight?: number;
  bm25Weight?: number;
  /** Candidates each retriever contributes before fusion (default 50). */
  candidates?: number;
  /**
   * Articles to prefer (e.g. those a conversation already cited): their passages move up a few
   * places in the ranking. A boost, not a filter: other articles' passages are still returned.
   */
  preferArticles?: readonly string[];
}

/** A quoted sentence of an answer. */
export interface Citation {
  /** The [n] marker in the answer text. */
  marker: number;
  articleId: string;
  title?: string;
  date?: string;
  source?: string;
  url?: string;
  /** The quoted sentence, verbatim: `article.text.slice(start, end)`. */
  quote: string;
  start: number;
  end: number;
  /** The passage the quote was taken from. */
  passage: string;
  passageStart: number;
  passageEnd: number;
  score: number;
  /** The other copies of the quoted article's story (as on its {@link Passage}). */
  alsoPublishedBy?: PublishedCopy[];
  /**
   * The time expressions inside the quote (offsets within the article), resolved against the
   * article's date; `value: null` where the article gives no date to resolve them against.
   */
  dates?: import('./dates/types.js').TimeExpression[];
}

/** Sentences from different articles that say the same thing. */
export interface Corroboration {
  /** Markers of the citations that agree. */
  markers: number[];
  articleIds: string[];
  /** "reported by N articles": independent reports, copies of one story count once. */
  count: number;
}

export interface AnswerOptions extends SearchOptions {
  /** Sentences to quote at most (default 2). */
  maxSentences?: number;
  /** Override the calibrated abstention threshold. */
  minConfidence?: number;
  /**
   * The earlier turns of the conversation this question belongs to (oldest first). A
   * follow-up ("and what did he give in return?") is then rewritten against them before
   * retrieval (see `rewriteFollowUp`): their subjects are carried, their date range too
   * unless `filter` sets one, and the articles they cited are preferred. The answer says in
   * `contextFrom` which turn it took context from. Empty or absent: the question stands alone.
   */
  conversation?: readonly import('./conversation/types.js').ConversationTurn[];
}

export interface Answer {
  /** Random id, for feedback. */
  id: string;
  question: string;
  /** Quoted sentences with [n] markers, or null when abstaining. */
  answer: string | null;
  abstained: boolean;
  /** 0..1 evidence strength the abstention threshold is compared with. */
  confidence: number;
  /**
   * Names the question asks about that no indexed article mentions (e.g. `["Refco"]`); the
   * answer then abstains whatever its confidence. Empty when every name was found.
   */
  notFound: string[];
  citations: Citation[];
  corroborations: Corroboration[];
  /** The passages considered, best first (the closest ones when abstaining). */
  passages: Passage[];
  /**
   * For a question that asks when: the resolved ISO date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) the
   * quotes give; null when the question does not ask when, or the evidence is undated.
   */
  when?: string | null;
  timings: { embedMs: number; searchMs: number; answerMs: number; totalMs: number };
  /**
   * With `conversation`: the earlier turn the question took its context from, or null when it
   * stood on its own. Absent without a conversation.
   */
  contextFrom?: import('./conversation/types.js').ContextFrom | null;
  /**
   * The query retrieval ran with: the question, or its rewrite as a follow-up. Keep it as the
   * turn's `query` so the next follow-up can carry its subjects.
   */
  query?: string;
}

/** JSON summary of an `index` run. */
export interface IndexSummary {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  chunksEmbedded: number;
  seconds: number;
  issues: IngestIssue[];
  /**
   * Folders that were missing or could not be read (a root, a subfolder, a broken
   * link): nothing indexed under them was pruned. Non-empty means the run is incomplete.
   */
  unreadableFolders: string[];
}

export interface IndexStats {
  location: string;
  /** The store's engine (`folder`, `sqlite`). */
  engine?: string;
  model: string;
  fingerprintId: string;
  articles: number;
  chunks: number;
  dimensions: number;
  bytesOnDisk: number;
  updatedAt: string;
  generation: number;
  check?: ConsistencyReport;
}

/** Progress of an `index` run, for progress bars. */
export interface IndexProgress {
  phase: 'read' | 'chunk' | 'embed' | 'write';
  done: number;
  total: number;
}

export interface IndexOptions {
  /** Delete indexed articles whose files are no longer among `paths`. */
  prune?: boolean;
  /**
   * Ignore the current index (even a corrupt one, or one built by another model) and
   * build a new one from `paths` alone; it replaces the old one atomically when complete.
   */
  rebuild?: boolean;
  onProgress?: (progress: IndexProgress) => void;
  /** Follow symbolic links that lead outside the article folders (default false: reported and skipped). */
  followExternalSymlinks?: boolean;
}

/**
 * A knowledge base: an index folder plus the embedder that built it. Questions
 * are answered from the generation loaded when they arrive; `index()` builds the
 * next generation beside it and switches to it atomically when it is complete.
 */
export interface KnowledgeBase {
  readonly embedder: import('@newsrag/embed').Embedder;
  readonly location: string;
  /** Incrementally (re)indexes the articles under `paths` (folders or files). */
  index(paths: string[], options?: IndexOptions): Promise<IndexSummary>;
  search(question: string, options?: SearchOptions): Promise<Passage[]>;
  answer(question: string, options?: AnswerOptions): Promise<Answer>;
  /**
   * Starts embedding the query that `answer(question, options)` will embed, and returns at once;
   * the answer then takes the vector from the embedder's query cache. A server calls it as each
   * question arrives, before the question waits for its turn, so that a crowd's queries share a
   * few large forward passes instead of one small pass each (fewer passes; with q8 weights a query
   * in a batch of 50 costs about half its CPU alone, with fp32 about 0.8). Changes no answer. Does nothing when the embedder has
   * no query cache (see `Embedder.primeQuery`), for an empty question (`answer` reports it), or
   * once the knowledge base is closed.
   * @example kb.primeQuery(question); await deferReply(); const a = await kb.answer(question);
   */
  primeQuery(question: string, options?: Pick<AnswerOptions, 'conversation'>): void;
  /** The dated events about a topic across the articles, oldest first (see `timeline`). */
  timeline(topic: string): Promise<import('./timeline/types.js').Timeline>;
  /**
   * Scores a question set (see `readQuestions`) by the shared scoring rules: hit@1/3/5,
   * MRR@10 over the top 10 passages, and abstention on unanswerable questions.
   */
  evaluate(
    questions: readonly import('./eval/questions.js').EvalQuestion[],
    options?: { mode?: SearchMode },
  ): Promise<import('./eval/score.js').EvalReport>;
  /** The indexed articles (empty before the first `index`). */
  articles(): ArticleRecord[];
  /**
   * The collections of the indexed articles with how many articles each holds, most first
   * (then by name). An article's collection is its `collection` field, else its top folder
   * (see `collectionOf`); articles at the root without the field are in none and not counted.
   * Empty before the first `index`. For pickers such as the bot's autocomplete.
   * @example kb.collections() // [{ name: 'bbc', articles: 2225 }, { name: 'wire', articles: 12 }]
   */
  collections(): import('./store/filter.js').LabelCount[];
  /**
   * The languages the indexed articles state (lower-case primary tags such as `en`), with how
   * many articles state each, most first. Articles stating none are not counted; they pass
   * every `languages` filter. Empty before the first `index`.
   */
  languages(): import('./store/filter.js').LabelCount[];
  /**
   * Near-duplicate groups of the indexed articles (syndicated copies, see
   * `nearDuplicateGroups`), each with its canonical member; empty before the first `index`.
   */
  nearDuplicateGroups(): import('./syndication/groups.js').DuplicateGroup[];
  stats(options?: { check?: boolean }): Promise<IndexStats>;
  /**
   * Embeds the sentences answers quote, newest articles first, into the per-snapshot sentence
   * cache ahead of questions (at most `maxSentences`, default the cache's size), a small batch
   * at a time and only while no question is in flight. Ends early when the knowledge base is
   * closed or switches to a new generation. Servers call it once the index is open.
   */
  warm(options?: { maxSentences?: number }): Promise<import('./answer/sentence-vectors.js').WarmSummary>;
  close(): Promise<void>;
}
