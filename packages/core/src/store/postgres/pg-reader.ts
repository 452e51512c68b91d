import { NewsragError } from '../../errors.js';
import type { ArticleRecord, Chunk } from '../../types.js';
import type { ArticleUpsert, IndexReader, Manifest, ReadPlan, ScoredChunk } from '../contract.js';
import { SliceReader } from '../slice-reader.js';
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

  /** A reader over `snapshot`, which it owns from then on (closed with it). */
  static async over(snapshot: PostgresSnapshot): Promise<PostgresIndexReader> {
    try {
      return new PostgresIndexReader(snapshot, await snapshot.articles());
    } catch (error) {
      await snapshot.close();
      throw error;
    }
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
    if (this.closed) throw new NewsragError('BAD_OPTIONS', 'This index snapshot is closed; open a new one.');
    const filter = plan.filter ? { filter: plan.filter } : {};
    const dense = plan.queryVector ? await this.snapshot.denseSearch(plan.queryVector, plan.k, filter) : [];
    const lexical = plan.lexicalQuery ? await this.snapshot.lexicalSearch(plan.lexicalQuery, plan.k, filter) : [];
    const frequencies = await this.snapshot.documentFrequencies(plan.words);
    const articles = await this.snapshot.fetchArticlesOf([...new Set([...dense, ...lexical].map((h) => h.key))]);
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
    const fetched = new Map((await this.snapshot.fetchArticles(ids)).map((a) => [a.id, a.chunks]));
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
  return new NewsragError(
    'BAD_OPTIONS',
    `A Postgres index is read per question: ${what} works on the slice prepare() returns (search() and answer() do that), not on the index reader.`,
  );
}
