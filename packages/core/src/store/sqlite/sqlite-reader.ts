import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { newsragError } from '../../errors.js';
import { indexAnalyzer } from '../../text/analyzers.js';
import type { ArticleRecord, Chunk, SearchFilter } from '../../types.js';
import { maxScoreSearch } from '../bm25-maxscore.js';
import type { IndexReader, Manifest, ScoredChunk } from '../contract.js';
import type { QuantizedMatrix } from '../dense/index.js';
import { corrupt } from '../errors.js';
import { allowedArticles } from '../filter.js';
import { quantizedTopK } from '../quantized-topk.js';
import { LexicalSnapshot } from './lexical.js';
import { ExactVectors, type VectorLayout } from './quantized.js';
import { ORDINAL_BITS } from './schema.js';

/** What a snapshot keeps in memory: the article list, the row layout and the int8 vectors. */
export interface SnapshotData {
  manifest: Manifest;
  /** In seq order. */
  articles: ArticleRecord[];
  seqs: number[];
  /** The int8 vectors of every row, in the int8 kernel's memory (the exact ones stay in SQLite). */
  quantized: QuantizedMatrix;
  /** Per row: the BM25 length of its text, then of its article's title. */
  fieldLengths: Uint32Array;
  /** Where the file keeps its vectors (schema 1 or 2). */
  layout: VectorLayout;
  /** `meta.logStart`: the first generation the `changes` log covers (null: unknown, no refresh from it). */
  logStart: number | null;
}

/**
 * One snapshot of a SQLite index. Articles, the row layout and the int8 vectors are in
 * memory (the dense scan never touches SQLite; its best candidates are rescored with the
 * exact float32 vectors, read on demand); chunk texts and the lexical postings stay on disk and are
 * read through this reader's own connection, inside a read transaction opened with the
 * snapshot, so they always agree with the vectors however many writes commit meanwhile
 * (WAL: the read transaction never blocks a writer). {@link close} ends it.
 */
export class SqliteIndexReader implements IndexReader {
  readonly manifest: Manifest;
  readonly articleCount: number;
  readonly chunkCount: number;
  /** The database file, for messages. */
  readonly file: string;
  private readonly articleList: ArticleRecord[];
  private readonly seqs: number[];
  private readonly articleIndex: Map<string, number>;
  private readonly firstRow: Int32Array;
  private readonly rowCount: Int32Array;
  private readonly rowArticle: Int32Array;
  private readonly quantized: QuantizedMatrix;
  private readonly exact: ExactVectors;
  private readonly data: SnapshotData;
  private db: Database.Database | null;
  private readonly chunkStmt: Database.Statement;
  private readonly fieldLengths: Uint32Array;
  /** Made on the first lexical search. */
  private averages: readonly [number, number] | null = null;
  /** Made on the first lexical search: the seq → article map and each article's postings generation. */
  private lexical: LexicalSnapshot | null = null;
  /** Made on the first refresh from this snapshot. */
  private indexBySeq: Map<number, number> | null = null;

  /** `db` must have its read transaction open on the snapshot `data` was read from; the reader owns it from now on. */
  constructor(data: SnapshotData, db: Database.Database, file: string) {
    this.manifest = data.manifest;
    this.file = file;
    this.articleList = data.articles;
    this.seqs = data.seqs;
    this.data = data;
    this.quantized = data.quantized;
    this.fieldLengths = data.fieldLengths;
    this.articleCount = data.articles.length;
    this.articleIndex = new Map(data.articles.map((a, i) => [a.id, i]));
    this.firstRow = new Int32Array(data.articles.length);
    this.rowCount = new Int32Array(data.articles.length);
    let rows = 0;
    data.articles.forEach((a, i) => {
      this.firstRow[i] = rows;
      this.rowCount[i] = a.chunkCount;
      rows += a.chunkCount;
    });
    this.chunkCount = rows;
    this.rowArticle = new Int32Array(rows);
    data.articles.forEach((a, i) => {
      this.rowArticle.fill(i, this.firstRow[i] as number, (this.firstRow[i] as number) + a.chunkCount);
    });
    this.db = db;
    this.exact = new ExactVectors(db, data.layout, data.manifest.dimensions, file, file);
    this.chunkStmt = db.prepare('SELECT id, start, end, tokens, text FROM chunks WHERE rowid = ?');
  }

  article(id: string): ArticleRecord | undefined {
    const i = this.articleIndex.get(id);
    return i === undefined ? undefined : this.articleList[i];
  }

  articles(): ArticleRecord[] {
    return this.articleList.slice();
  }

  /** Rows of an article, `[first, first + count)`; count 0 when it has none. */
  rowsOf(id: string): { first: number; count: number } {
    const i = this.articleIndex.get(id);
    if (i === undefined) return { first: 0, count: 0 };
    return { first: this.firstRow[i] as number, count: this.rowCount[i] as number };
  }

  /** The article seq of each article, in row order (for a writer refreshing from this snapshot). */
  articleSeqs(): readonly number[] {
    return this.seqs;
  }

  chunk(row: number): Chunk {
    this.checkRow(row);
    const a = this.rowArticle[row] as number;
    const ordinal = row - (this.firstRow[a] as number);
    const record = this.articleList[a] as ArticleRecord;
    const got = this.statement(this.chunkStmt).get((this.seqs[a] as number) * ORDINAL_BITS + ordinal) as
      | { id: string; start: number; end: number; tokens: number; text: string }
      | undefined;
    if (!got) {
      throw corrupt(this.file, `chunk ${ordinal} of article ${record.id} is missing`, dirname(this.file));
    }
    return {
      id: got.id,
      articleId: record.id,
      ordinal,
      start: got.start,
      end: got.end,
      text: got.text,
      tokens: got.tokens,
    };
  }

  /** Whether {@link close} has run. */
  isClosed(): boolean {
    return this.db === null;
  }

  /** What this snapshot holds in memory, for a refresh that reuses what did not change. */
  snapshot(): SnapshotData {
    this.connection();
    return this.data;
  }

  /** The seq order index of an article seq (-1: not in this snapshot). */
  indexOfSeq(seq: number): number {
    this.indexBySeq ??= new Map(this.seqs.map((s, i) => [s, i]));
    return this.indexBySeq.get(seq) ?? -1;
  }

  /** The whole row-major float32 matrix: a new array read from SQLite (for checks and migrations, not searches). */
  matrix(): Float32Array {
    const d = this.manifest.dimensions;
    const out = new Float32Array(this.chunkCount * d);
    for (let a = 0; a < this.articleList.length; a++) {
      if ((this.rowCount[a] as number) === 0) continue;
      out.set(this.exactOf(a), (this.firstRow[a] as number) * d);
    }
    return out;
  }

  vector(row: number): Float32Array {
    this.checkRow(row);
    const d = this.manifest.dimensions;
    const a = this.rowArticle[row] as number;
    const ordinal = row - (this.firstRow[a] as number);
    return this.exactOf(a).subarray(ordinal * d, (ordinal + 1) * d);
  }

  private exactOf(a: number): Float32Array {
    this.connection();
    return this.exact.article(this.seqs[a] as number, this.articleList[a] as ArticleRecord);
  }

  denseSearch(query: Float32Array, k: number, filter?: SearchFilter): ScoredChunk[] {
    const d = this.manifest.dimensions;
    if (query.length !== d) {
      throw newsragError('BAD_OPTIONS', {
        subject: 'The query vector',
        problem: `has ${query.length} dimensions but index ${this.file} has ${d}`,
        fix: `embed the query with the model that built the index (${this.manifest.fingerprint.modelId})`,
      });
    }
    const allowed = allowedArticles(this.articleList, filter);
    return quantizedTopK(this.quantized, query, k, this.chunkCount, allowed, this.firstRow, this.rowCount, (row) =>
      this.vector(row),
    );
  }

  /**
   * BM25+ over the chunk text and the article title with exactly the folder store's
   * (MiniSearch's) formula and terms, so both engines rank alike: the engine's own postings
   * (lexical.ts) give each query term's live rows and term frequencies per field; the field
   * lengths come from the snapshot; {@link maxScoreSearch} ranks them with MaxScore pruning,
   * giving exactly the exhaustive scorer's (RowBm25Scorer's) rows, scores and tie order while
   * scoring only the rows that can still reach the k-th score.
   */
  lexicalSearch(query: string, k: number, filter?: SearchFilter): ScoredChunk[] {
    const limit = Math.floor(k);
    if (limit <= 0 || this.chunkCount === 0) return [];
    const queryTerms = indexAnalyzer.terms(query);
    if (queryTerms.length === 0) return [];
    const allowed = allowedArticles(this.articleList, filter);
    const accept = allowed === null ? null : (row: number) => allowed[this.rowArticle[row] as number] === 1;
    const lexical = this.lexicalIndex();
    return maxScoreSearch(
      queryTerms,
      (term) => lexical.source(term),
      this.chunkCount,
      this.fieldLengths,
      this.lexicalAverages(),
      limit,
      accept,
    ).map(({ doc, score }) => ({ row: doc, score }));
  }

  private lexicalIndex(): LexicalSnapshot {
    this.lexical ??= new LexicalSnapshot(this.connection(), {
      seqs: this.seqs,
      firstRow: this.firstRow,
      rowCount: this.rowCount,
      rowArticle: this.rowArticle,
    });
    return this.lexical;
  }

  /** Mean text and title length over the snapshot's rows (summed once: exact in float64, nothing stored can drift). */
  private lexicalAverages(): readonly [number, number] {
    if (this.averages) return this.averages;
    const n = this.chunkCount;
    const lengths = this.fieldLengths;
    let text = 0;
    let title = 0;
    for (let r = 0; r < n; r++) {
      text += lengths[r * 2] as number;
      title += lengths[r * 2 + 1] as number;
    }
    this.averages = [text / n, title / n];
    return this.averages;
  }

  documentFrequency(word: string): number {
    const t = indexAnalyzer.terms(word);
    if (t.length === 0) return 0;
    if (t.length > 1) return this.lexicalSearch(word, Math.max(1, this.chunkCount)).length;
    return this.lexicalIndex().documentFrequency(t[0] as string);
  }

  /** Ends the read transaction and closes the connection; the snapshot's vectors go with the reader. */
  close(): void {
    const db = this.db;
    if (!db) return;
    this.db = null;
    try {
      if (db.inTransaction) db.exec('COMMIT');
    } finally {
      db.close();
    }
  }

  private statement(s: Database.Statement): Database.Statement {
    this.connection();
    return s;
  }

  private connection(): Database.Database {
    if (!this.db)
      throw newsragError('BAD_OPTIONS', {
        subject: `This snapshot of ${this.file}`,
        problem: 'is closed',
        fix: 'open the index again',
      });
    return this.db;
  }

  private checkRow(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.chunkCount) {
      throw new RangeError(`row ${row} is outside the index (0..${this.chunkCount - 1})`);
    }
  }
}
