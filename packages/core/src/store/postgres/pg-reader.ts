import { type NewsragError, newsragError } from '../../errors.js';
import type { ArticleRecord, Chunk } from '../../types.js';
import type { ArticleUpsert, IndexReader, Manifest, ReadPlan, ScoredChunk } from '../contract.js';
import { SliceReader } from '../slice-reader.js';
import { corruptTable, tableName } from './corrupt.js';
import type { PostgresSnapshot } from './snapshot.js';

/**
 * The store contract's reader over a {@link PostgresSnapshot}: the article records are read
 * once (a few MB for a large archive) so that `article()`/`articles()` stay synchronous;
 * chunks, vectors and searches stay on the server and are read per question by
 * {@link PostgresIndexReader.prepare}, in the snapshot's transaction, so a question sees one
 * committed state from its searches to its quotes.
 */
export class PostgresIndexReader implements IndexReader {
  private readonly byId: Map<string, ArticleRecord>;
  private closed = false;

  private constructor(
    readonly snapshot: PostgresSnapshot,
    private readonly records: readonly ArticleRecord[],
  ) {
    this.byId = new Map(records.map((r) => [r.id, r]));
  }

  /**
   * A reader over `snapshot`, which it owns from then on (closed with it).
   * @throws INDEX_CORRUPT naming the articles table when its rows disagree with meta's counts
   *   (the chunks table is not counted here: that would scan the whole index on every open;
   *   an article short of chunks is caught when it is read, and by `check()`).
   */
  static async over(snapshot: PostgresSnapshot): Promise<PostgresIndexReader> {
    try {
      const records = await snapshot.articles();
      const m = snapshot.manifest;
      const chunks = records.reduce((n, r) => n + r.chunkCount, 0);
      if (records.length !== m.articleCount || chunks !== m.chunkCount) {
        throw corruptTable(snapshot.where, {
          table: tableName(snapshot.where, 'articles'),
          problem: `it holds ${records.length} articles of ${chunks} chunks, meta says ${m.articleCount} of ${m.chunkCount}`,
        });
      }
      return new PostgresIndexReader(snapshot, records);
    } catch (error) {
      await snapshot.close();
      throw error;
    }
  }

  /**
   * Articles fetched whole, held to their records: every chunk the record counts, in order.
   * @throws INDEX_CORRUPT naming the chunks table for an article short of (or past) its chunks.
   */
  private whole<A extends { id: string; chunks: { chunk: Chunk }[] }>(ids: readonly string[], fetched: A[]): A[] {
    const byId = new Map(fetched.map((a) => [a.id, a]));
    for (const id of ids) {
      const record = this.byId.get(id);
      if (!record) continue;
      const chunks = byId.get(id)?.chunks ?? [];
      if (chunks.length !== record.chunkCount || chunks.some((c, i) => c.chunk.ordinal !== i)) {
        const ordinals = chunks.map((c) => c.chunk.ordinal);
        throw corruptTable(this.snapshot.where, {
          table: tableName(this.snapshot.where, 'chunks'),
          problem: `article ${id} has ${record.chunkCount} chunks, the table holds ${chunks.length} (ordinals ${ordinals.slice(0, 20).join(', ') || 'none'})`,
        });
      }
    }
    return fetched;
  }

  get manifest(): Manifest {
    return this.snapshot.manifest;
  }
  get articleCount(): number {
    return this.records.length;
  }
  get chunkCount(): number {
    return this.snapshot.chunkCount;
  }
  article(id: string): ArticleRecord | undefined {
    return this.byId.get(id);
  }
  articles(): ArticleRecord[] {
    return [...this.records];
  }
  chunk(_row: number): Chunk {
    throw perQuestion('chunk()');
  }
  vector(_row: number): Float32Array {
    throw perQuestion('vector()');
  }
  denseSearch(): ScoredChunk[] {
    throw perQuestion('denseSearch()');
  }
  lexicalSearch(): ScoredChunk[] {
    throw perQuestion('lexicalSearch()');
  }

  /** Both searches on the server, then the whole articles they hit, with vectors, and the plan's document frequencies. */
  async prepare(plan: ReadPlan): Promise<IndexReader> {
    if (this.closed)
      throw newsragError('BAD_OPTIONS', {
        subject: 'This index snapshot',
        problem: 'is closed',
        fix: 'open a new one',
      });
    const filter = plan.filter ? { filter: plan.filter } : {};
    const dense = plan.queryVector ? await this.snapshot.denseSearch(plan.queryVector, plan.k, filter) : [];
    const lexical = plan.lexicalQuery ? await this.snapshot.lexicalSearch(plan.lexicalQuery, plan.k, filter) : [];
    const frequencies = await this.snapshot.documentFrequencies(plan.words);
    const fetched = await this.snapshot.fetchArticlesOf([...new Set([...dense, ...lexical].map((h) => h.key))]);
    const articles = this.whole(
      fetched.map((a) => a.id),
      fetched,
    );
    const idOf = new Map<number, string>();
    for (const a of articles) for (const c of a.chunks) idOf.set(c.key, c.chunk.id);
    const byChunk = (hits: { key: number; score: number }[]) =>
      hits.flatMap((h) => {
        const chunkId = idOf.get(h.key);
        return chunkId === undefined ? [] : [{ chunkId, score: h.score }];
      });
    return new SliceReader({
      base: this,
      articles: articles.map((a) => ({
        id: a.id,
        chunks: a.chunks.map((c) => c.chunk),
        vectors: a.chunks.map((c) => c.vector as Float32Array),
      })),
      dense: byChunk(dense),
      lexical: byChunk(lexical),
      frequencies,
    });
  }

  async contents(ids: readonly string[]): Promise<ArticleUpsert[]> {
    if (ids.length === 0) return [];
    const fetched = new Map(this.whole(ids, await this.snapshot.fetchArticles(ids)).map((a) => [a.id, a.chunks]));
    return ids.flatMap((id) => {
      const record = this.byId.get(id);
      const chunks = fetched.get(id);
      if (!record || !chunks) return [];
      const d = this.manifest.dimensions;
      const vectors = new Float32Array(chunks.length * d);
      chunks.forEach((c, i) => {
        vectors.set(c.vector as Float32Array, i * d);
      });
      return [{ record, chunks: chunks.map((c) => c.chunk), vectors }];
    });
  }

  /** Ends the snapshot's read transaction (in the background: the contract's close is synchronous). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.snapshot.close();
  }
}

function perQuestion(what: string): NewsragError {
  return newsragError('BAD_OPTIONS', {
    subject: `${what} on a Postgres index reader`,
    problem: 'is not available: a Postgres index is read per question',
    fix: `call ${what} on the slice prepare() returns (search() and answer() do that)`,
  });
}
