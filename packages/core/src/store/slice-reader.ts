import type { ArticleRecord, Chunk } from '../types.js';
import type { IndexReader, Manifest, ScoredChunk } from './contract.js';

/** What {@link SliceReader} is made of: the whole articles one question reads, and its searches' hits. */
export interface SliceContents {
  /** The reader the slice was cut from (its manifest, counts and articles are the slice's). */
  base: IndexReader;
  /** Whole articles, each's chunks in chunk order, with their vectors. */
  articles: { id: string; chunks: Chunk[]; vectors: Float32Array[] }[];
  /** The dense search's hits, by chunk id, best first. */
  dense: { chunkId: string; score: number }[];
  /** The lexical search's hits, by chunk id, best first. */
  lexical: { chunkId: string; score: number }[];
  /** Document frequency by surface word. */
  frequencies: ReadonlyMap<string, number>;
}

/**
 * The part of an index one question reads, held in memory so that ranking and answering
 * stay synchronous over a server engine (see `IndexReader.prepare`). Its rows are its own
 * (0..n-1 over the chunks it holds, each article's contiguous); its searches return the
 * hits it was cut for; what it was not given it refuses loudly rather than answering wrong.
 */
export class SliceReader implements IndexReader {
  readonly base: IndexReader;
  private readonly chunks: Chunk[] = [];
  private readonly vectors: Float32Array[] = [];
  private readonly rows = new Map<string, number[]>();
  private readonly dense: ScoredChunk[];
  private readonly lexical: ScoredChunk[];
  private readonly frequencies: ReadonlyMap<string, number>;

  constructor(contents: SliceContents) {
    this.base = contents.base;
    const rowOf = new Map<string, number>();
    for (const a of contents.articles) {
      const rows: number[] = [];
      a.chunks.forEach((chunk, i) => {
        const vector = a.vectors[i];
        if (!vector)
          throw new Error(`internal: article ${a.id} has ${a.vectors.length} vectors for ${a.chunks.length} chunks`);
        rows.push(this.chunks.length);
        rowOf.set(chunk.id, this.chunks.length);
        this.chunks.push(chunk);
        this.vectors.push(vector);
      });
      this.rows.set(a.id, rows);
    }
    const scored = (hits: SliceContents['dense']) =>
      hits.flatMap((h) => {
        const row = rowOf.get(h.chunkId);
        return row === undefined ? [] : [{ row, score: h.score }];
      });
    this.dense = scored(contents.dense);
    this.lexical = scored(contents.lexical);
    this.frequencies = contents.frequencies;
  }

  get manifest(): Manifest {
    return this.base.manifest;
  }
  get articleCount(): number {
    return this.base.articleCount;
  }
  /** The whole index's (IDF needs it), not the slice's. */
  get chunkCount(): number {
    return this.base.chunkCount;
  }
  article(id: string): ArticleRecord | undefined {
    return this.base.article(id);
  }
  articles(): ArticleRecord[] {
    return this.base.articles();
  }
  articleRows(): ReadonlyMap<string, readonly number[]> {
    return this.rows;
  }
  chunk(row: number): Chunk {
    const c = this.chunks[row];
    if (!c) throw outside(`row ${row}`, this.chunks.length);
    return c;
  }
  vector(row: number): Float32Array {
    const v = this.vectors[row];
    if (!v) throw outside(`row ${row}`, this.vectors.length);
    return v;
  }
  denseSearch(_query: Float32Array, k: number): ScoredChunk[] {
    return this.dense.slice(0, k);
  }
  lexicalSearch(_query: string, k: number): ScoredChunk[] {
    return this.lexical.slice(0, k);
  }
  documentFrequency(word: string): number {
    const df = this.frequencies.get(word);
    if (df === undefined) throw outside(`the document frequency of "${word}"`, this.frequencies.size);
    return df;
  }
}

// A read outside the slice is a bug of the pipeline (a read its plan does not name), not bad input.
function outside(what: string, held: number): Error {
  return new Error(
    `internal: a question read ${what}, which its prepared slice of the index does not hold (${held} held)`,
  );
}

/** The reader whose snapshot `reader` shows: itself, or the reader a slice was cut from. */
export function snapshotOf(reader: IndexReader): IndexReader {
  return reader.base ?? reader;
}
