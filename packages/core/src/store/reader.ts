import { newsragError } from '../errors.js';
import type { ArticleRecord, Chunk, SearchFilter } from '../types.js';
import { type Bm25Index, documentFrequency } from './bm25.js';
import { Bm25TopK } from './bm25-topk.js';
import type { IndexReader, Manifest, ScoredChunk } from './contract.js';
import { type DenseMatrix, denseMatrixFor } from './dense/index.js';
import { rebuildHint } from './errors.js';
import { allowedArticles } from './filter.js';
import { denseTopK } from './topk.js';

/** Everything one generation holds, in memory. */
export interface GenerationData {
  manifest: Manifest;
  articles: ArticleRecord[];
  /** Row order = vector row order. */
  chunks: Chunk[];
  /** `chunks.length × manifest.dimensions`, row-major. */
  vectors: Float32Array;
  bm25: Bm25Index;
}

/**
 * A loaded, immutable generation of a folder index. Safe to share: searches are
 * synchronous, so the scratch buffers of the dense kernel and the BM25 scorer are never
 * used by two searches at once.
 */
export class FolderIndexReader implements IndexReader {
  readonly manifest: Manifest;
  readonly articleCount: number;
  readonly chunkCount: number;
  /** The generation folder it was loaded from (for messages). */
  readonly generationDir: string;
  private readonly articleList: ArticleRecord[];
  private readonly articleIndex: Map<string, number>;
  private readonly chunks: Chunk[];
  /** The matrix in the dense kernel's memory; `vectors` is a view of it. */
  private readonly dense: DenseMatrix;
  private readonly vectors: Float32Array;
  private readonly bm25: Bm25Index;
  /** Top-k BM25 scorer and MiniSearch short doc id → row (-1: none), made on the first lexical search. */
  private lexical: { scorer: Bm25TopK; rowOfDoc: Int32Array } | null = null;
  /** Chunk id → row, to map BM25 documents back to rows. */
  private readonly rowById: Map<string, number>;
  /** Row → index into `articleList`. */
  private readonly rowArticle: Int32Array;
  /** Article index → first row, and row count (rows of one article are contiguous). */
  private readonly firstRow: Int32Array;
  private readonly rowCount: Int32Array;

  /** @throws INDEX_CORRUPT when a chunk names an article the index does not have. */
  constructor(data: GenerationData, generationDir: string) {
    this.manifest = data.manifest;
    this.generationDir = generationDir;
    this.articleList = data.articles;
    this.chunks = data.chunks;
    this.dense = denseMatrixFor(data.vectors, data.manifest.dimensions);
    this.vectors = this.dense.vectors;
    this.bm25 = data.bm25;
    this.articleCount = data.articles.length;
    this.chunkCount = data.chunks.length;
    this.articleIndex = new Map(data.articles.map((a, i) => [a.id, i]));
    this.rowById = new Map();
    this.rowArticle = new Int32Array(data.chunks.length);
    this.firstRow = new Int32Array(data.articles.length).fill(-1);
    this.rowCount = new Int32Array(data.articles.length);
    for (let row = 0; row < data.chunks.length; row++) {
      const chunk = data.chunks[row] as Chunk;
      const a = this.articleIndex.get(chunk.articleId);
      if (a === undefined) {
        throw newsragError('INDEX_CORRUPT', {
          subject: `Index ${generationDir}`,
          problem: `chunk ${chunk.id} (row ${row}) belongs to article ${chunk.articleId}, which is not in articles.json`,
          fix: rebuildHint(generationDir),
        });
      }
      this.rowArticle[row] = a;
      this.rowById.set(chunk.id, row);
      if (this.firstRow[a] === -1) this.firstRow[a] = row;
      this.rowCount[a] = (this.rowCount[a] as number) + 1;
    }
  }

  article(id: string): ArticleRecord | undefined {
    const i = this.articleIndex.get(id);
    return i === undefined ? undefined : this.articleList[i];
  }

  articles(): ArticleRecord[] {
    return this.articleList.slice();
  }

  chunk(row: number): Chunk {
    const c = this.chunks[row];
    if (c === undefined) throw new RangeError(`row ${row} is outside the index (0..${this.chunkCount - 1})`);
    return c;
  }

  /** Rows of an article, `[first, first + count)`; count 0 when it has none. */
  rowsOf(id: string): { first: number; count: number } {
    const i = this.articleIndex.get(id);
    if (i === undefined) return { first: 0, count: 0 };
    return { first: Math.max(0, this.firstRow[i] as number), count: this.rowCount[i] as number };
  }

  /** Chunk ids the BM25 index holds no document for (a consistency check). */
  missingFromBm25(): string[] {
    return this.chunks.filter((c) => !this.bm25.has(c.id)).map((c) => c.id);
  }

  /**
   * The BM25 index itself. Internal: only for a writer that loaded this reader
   * privately and will not search it again (it is updated in place).
   */
  bm25Index(): Bm25Index {
    return this.bm25;
  }

  /**
   * How many chunks a one-word lexical search for `word` would match (`lexicalSearch(word,
   * chunkCount).length`), read from the BM25 index's postings instead of searching: the
   * document frequency behind BM25's IDF.
   */
  documentFrequency(word: string): number {
    return documentFrequency(this.bm25, word);
  }

  /** The whole row-major matrix (a view, do not modify). */
  matrix(): Float32Array {
    return this.vectors;
  }

  vector(row: number): Float32Array {
    if (!Number.isInteger(row) || row < 0 || row >= this.chunkCount) {
      throw new RangeError(`row ${row} is outside the index (0..${this.chunkCount - 1})`);
    }
    const d = this.manifest.dimensions;
    return this.vectors.subarray(row * d, (row + 1) * d);
  }

  denseSearch(query: Float32Array, k: number, filter?: SearchFilter): ScoredChunk[] {
    const d = this.manifest.dimensions;
    if (query.length !== d) {
      throw newsragError('BAD_OPTIONS', {
        subject: 'The query vector',
        problem: `has ${query.length} dimensions but index ${this.generationDir} has ${d}`,
        fix: `embed the query with the model that built the index (${this.manifest.fingerprint.modelId})`,
      });
    }
    const allowed = allowedArticles(this.articleList, filter);
    return denseTopK(this.dense, query, k, this.chunkCount, allowed, this.firstRow, this.rowCount);
  }

  lexicalSearch(query: string, k: number, filter?: SearchFilter): ScoredChunk[] {
    const limit = Math.floor(k);
    if (limit <= 0 || query.trim() === '') return [];
    const allowed = allowedArticles(this.articleList, filter);
    const rowArticle = this.rowArticle;
    const lexical = this.lexicalScorer();
    if (lexical !== null) {
      const { scorer, rowOfDoc } = lexical;
      const accept = (doc: number): boolean => {
        const row = rowOfDoc[doc] ?? -1;
        return row !== -1 && (allowed === null || allowed[rowArticle[row] as number] === 1);
      };
      return scorer.search(query, limit, accept).map((r) => ({ row: rowOfDoc[r.doc] as number, score: r.score }));
    }
    const rowById = this.rowById;
    const results = this.bm25.search(query, {
      combineWith: 'OR',
      filter: (r) => {
        const row = rowById.get(r.id as string);
        return row !== undefined && (allowed === null || allowed[rowArticle[row] as number] === 1);
      },
    });
    // MiniSearch returns every match, already sorted by descending BM25 score.
    return results.slice(0, limit).map((r) => ({ row: rowById.get(r.id as string) as number, score: r.score }));
  }

  /**
   * The top-k scorer (same results as MiniSearch's `search`, far fewer allocations), or null
   * when the BM25 index was changed in place (a writer's private copy), where only `search` is right.
   */
  private lexicalScorer(): { scorer: Bm25TopK; rowOfDoc: Int32Array } | null {
    if (this.lexical === null && this.bm25.dirtCount === 0) {
      const scorer = new Bm25TopK(this.bm25);
      const docs = [...scorer.documents()];
      const rowOfDoc = new Int32Array(docs.reduce((m, [doc]) => Math.max(m, doc + 1), 0)).fill(-1);
      for (const [doc, id] of docs) rowOfDoc[doc] = this.rowById.get(id) ?? -1;
      this.lexical = { scorer, rowOfDoc };
    }
    return this.lexical?.scorer.usable() ? this.lexical : null;
  }
}
