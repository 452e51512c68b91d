import { NewsragError } from '../errors.js';
import type { ArticleRecord, Chunk, IndexReader, Manifest, ScoredChunk, SearchFilter } from '../types.js';
import type { Bm25Index } from './bm25.js';
import { allowedArticles } from './filter.js';
import { TopK } from './topk.js';

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
 * A loaded, immutable generation of a folder index. Safe to share: searches
 * allocate only their own small top-k heap.
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
  private readonly vectors: Float32Array;
  private readonly bm25: Bm25Index;
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
    this.vectors = data.vectors;
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
        throw new NewsragError(
          'INDEX_CORRUPT',
          `Index ${generationDir}: chunk ${chunk.id} (row ${row}) belongs to article ${chunk.articleId}, which is not in articles.json; rebuild the index with \`newsrag index --rebuild\`.`,
        );
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
      throw new NewsragError(
        'BAD_OPTIONS',
        `The query vector has ${query.length} dimensions but index ${this.generationDir} has ${d}; embed the query with the model that built the index (${this.manifest.fingerprint.modelId}).`,
      );
    }
    const top = new TopK(Math.floor(k));
    if (top.k <= 0) return [];
    const allowed = allowedArticles(this.articleList, filter);
    const m = this.vectors;
    const rows = this.chunkCount;
    const rowArticle = this.rowArticle;
    // A float64 copy of the query saves a conversion per multiply; 8 independent
    // accumulators let V8 keep the sums in registers and overlap the additions.
    const q = Float64Array.from(query);
    const d8 = d - (d % 8);
    let threshold = top.threshold;
    for (let r = 0, base = 0; r < rows; r++, base += d) {
      if (allowed !== null && allowed[rowArticle[r] as number] === 0) continue;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      let j = 0;
      for (; j < d8; j += 8) {
        const k = base + j;
        s0 += (q[j] as number) * (m[k] as number);
        s1 += (q[j + 1] as number) * (m[k + 1] as number);
        s2 += (q[j + 2] as number) * (m[k + 2] as number);
        s3 += (q[j + 3] as number) * (m[k + 3] as number);
        s4 += (q[j + 4] as number) * (m[k + 4] as number);
        s5 += (q[j + 5] as number) * (m[k + 5] as number);
        s6 += (q[j + 6] as number) * (m[k + 6] as number);
        s7 += (q[j + 7] as number) * (m[k + 7] as number);
      }
      for (; j < d; j++) s0 += (q[j] as number) * (m[base + j] as number);
      const score = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
      if (score >= threshold) {
        top.push(r, score);
        threshold = top.threshold;
      }
    }
    return top.result();
  }

  lexicalSearch(query: string, k: number, filter?: SearchFilter): ScoredChunk[] {
    const limit = Math.floor(k);
    if (limit <= 0 || query.trim() === '') return [];
    const allowed = allowedArticles(this.articleList, filter);
    const rowArticle = this.rowArticle;
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
}
