/**
 * One consistent state of a Postgres index, searched with async functions: a REPEATABLE
 * READ, READ ONLY transaction on a connection of its own, begun by {@link PostgresSnapshot.begin}
 * and held until {@link PostgresSnapshot.close}. Every query of the snapshot (searches,
 * fetches, articles) sees the same committed state whatever writers commit meanwhile, and it
 * blocks no writer (MVCC: a writer's DELETE and INSERT never wait for a reader).
 *
 * Rows are named by chunk key (`chunks.key`, stable for the life of the chunk), not by a
 * 0..n-1 position: a search returns keys and scores, then one {@link PostgresSnapshot.fetch}
 * brings the chunks (and vectors when asked) that an answer needs.
 */
import type pg from 'pg';
import { NewsragError } from '../../errors.js';
import type { ArticleRecord, Chunk, SearchFilter } from '../../types.js';
import { BM25_PLUS_DEFAULTS } from '../bm25-plus.js';
import type { Manifest } from '../contract.js';
import { corruptTable } from './corrupt.js';
import { DEFAULT_RECALL, efSearchFor, MAX_EF_SEARCH } from './ef-search.js';
import { type PostgresLocation, qualified } from './location.js';
import { type MetaRow, manifestOf, metaProblem } from './meta.js';
import { foreignTables, HNSW_INDEX, TS_CONFIG } from './schema.js';
import { filterCondition } from './sql-filter.js';

/** A scored chunk, by its key. */
export interface KeyedScore {
  key: number;
  score: number;
}

/** A chunk brought by {@link PostgresSnapshot.fetch}. */
export interface FetchedChunk {
  key: number;
  chunk: Chunk;
  title: string;
  /** Present when asked for. */
  vector?: Float32Array;
}

export interface DenseSearchOptions {
  filter?: SearchFilter;
  /** Scan every (allowed) vector even when the HNSW index exists: the recall reference. */
  exact?: boolean;
  /**
   * `hnsw.ef_search` for this query (at least k): higher, better recall, slower. Default: the
   * location's `ef_search`, else derived from `recall` (see {@link efSearchFor}).
   */
  efSearch?: number;
  /** Recall@k wanted against exact search (0–1; default the location's `recall`, else {@link DEFAULT_RECALL}). */
  recall?: number;
  /** Allowed chunks under which a filtered search scans them exactly rather than searching HNSW (default 20,000). */
  exactBelow?: number;
}

/**
 * Lexical ranking: `bm25` (the default: MiniSearch's BM25+ over the text and title fields,
 * as the embedded engines score, see bm25-plus.ts), or PostgreSQL's own `ts_rank_cd` (cover
 * density) or `ts_rank` (frequency), which know no IDF and rank far worse on the dev sets.
 */
export interface LexicalOptions {
  filter?: SearchFilter;
  ranking?: 'bm25' | 'cd' | 'rank';
  /** ts_rank/ts_rank_cd normalization bit mask (default 1: divide by 1 + log(document length)). */
  normalization?: number;
}

/** Document frequencies of a lexeme in the text and title fields. */
interface FieldFrequencies {
  text: number;
  title: number;
}

/** Allowed chunks under which a filtered dense search scans exactly instead of HNSW. */
const EXACT_FILTERED_BELOW = 20_000;
/** Below this share of the index allowed by a filter, HNSW would return too few rows: scan exactly. */
const EXACT_FILTERED_SHARE = 0.05;

/** `[a,b,…]`, pgvector's text form, with the shortest float32 round-trip digits. */
export function vectorLiteral(v: Float32Array): string {
  let s = '[';
  for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + (v[i] as number).toPrecision(9);
  return `${s}]`;
}

/** A vector from pgvector's binary form (`vector_send`): int16 dimensions, int16 unused, big-endian float4s. */
export function decodeVector(bytes: Buffer): Float32Array {
  const d = bytes.readUInt16BE(0);
  if (bytes.length !== 4 + 4 * d)
    throw new Error(`internal: a binary vector of ${bytes.length} bytes for ${d} dimensions`);
  const out = new Float32Array(d);
  for (let i = 0; i < d; i++) out[i] = bytes.readFloatBE(4 + 4 * i);
  return out;
}

/** A row of {@link PostgresSnapshot}'s chunk queries. */
interface ChunkRow {
  key: string;
  article_id: string;
  ordinal: number;
  start_offset: number;
  end_offset: number;
  tokens: number;
  title: string;
  text: string;
  /** `vector_send(embedding)`, when asked for. */
  vector?: Buffer;
}

function fetchedOf(row: ChunkRow): FetchedChunk {
  const fetched: FetchedChunk = {
    key: Number(row.key),
    title: row.title,
    chunk: {
      id: `${row.article_id}#${row.ordinal}`,
      articleId: row.article_id,
      ordinal: row.ordinal,
      start: row.start_offset,
      end: row.end_offset,
      text: row.text,
      tokens: row.tokens,
    },
  };
  if (row.vector !== undefined) fetched.vector = decodeVector(row.vector);
  return fetched;
}

/** An OR query of the words of `text` (plainto_tsquery ANDs them; BM25-style retrieval wants any of them). */
const OR_QUERY = `replace(plainto_tsquery('${TS_CONFIG}', $1)::text, ' & ', ' | ')::tsquery`;

/** A tsquery matching any of `lexemes` (already analysed: quoted so they are not analysed again). */
export function orQuery(lexemes: readonly string[]): string {
  return lexemes.map((l) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}

export class PostgresSnapshot {
  private closed = false;
  private settings = new Map<string, string>();
  /** Per lexeme, for BM25's IDF: fixed for the snapshot, so asked once each. */
  private readonly frequencies = new Map<string, FieldFrequencies>();

  private constructor(
    private readonly client: pg.PoolClient,
    /** The index this snapshot reads (its schema, and how messages name it). */
    readonly where: PostgresLocation,
    readonly manifest: Manifest,
    /** Whether the HNSW index exists in this snapshot's catalog view. */
    readonly hasHnsw: boolean,
    /** Mean BM25 lengths of the text and title fields. */
    private readonly meanLength: { text: number; title: number },
  ) {}

  /**
   * Begins the snapshot on `client` (released by close()), or null (client released) when the
   * index is empty. On a throw the client is the caller's, inside the snapshot's transaction.
   * @throws INDEX_CORRUPT naming the table: one that is not the engine's, or a meta row it did not write.
   */
  static async begin(client: pg.PoolClient, where: PostgresLocation): Promise<PostgresSnapshot | null> {
    const schema = where.schema;
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // The first query takes the snapshot: the tables' check, meta and everything after agree.
    const [foreign] = await foreignTables(client, schema);
    if (foreign) throw corruptTable(where, foreign);
    const meta = await client.query(`SELECT * FROM ${qualified(schema, 'meta')}`);
    if (!meta.rows[0]) {
      await client.query('COMMIT');
      client.release();
      return null;
    }
    const row = meta.rows[0] as MetaRow;
    const problem = metaProblem(row);
    if (problem) throw corruptTable(where, { table: qualified(schema, 'meta'), problem });
    const hnsw = await client.query('SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [
      schema,
      HNSW_INDEX,
    ]);
    const chunks = Math.max(1, Number(row.chunk_count));
    return new PostgresSnapshot(client, where, manifestOf(row), (hnsw.rowCount ?? 0) > 0, {
      text: Number(row.text_len_sum) / chunks,
      title: Number(row.title_len_sum) / chunks,
    });
  }

  get generation(): number {
    return this.manifest.generation;
  }
  get chunkCount(): number {
    return this.manifest.chunkCount;
  }
  get articleCount(): number {
    return this.manifest.articleCount;
  }

  private t(table: string): string {
    return qualified(this.where.schema, table);
  }

  private live(): void {
    if (this.closed) throw new NewsragError('BAD_OPTIONS', 'This index snapshot is closed; open a new one.');
  }

  /** Sets a transaction-local setting when it differs from what this snapshot last set. */
  private async set(name: string, value: string): Promise<void> {
    if (this.settings.get(name) === value) return;
    await this.client.query('SELECT set_config($1, $2, true)', [name, value]);
    this.settings.set(name, value);
  }

  /** The `hnsw.ef_search` a top-k search runs with, before any widening for a filter. */
  efSearch(k: number, options: Pick<DenseSearchOptions, 'efSearch' | 'recall'> = {}): number {
    const fixed = options.efSearch ?? (options.recall === undefined ? this.where.dense.efSearch : undefined);
    if (fixed !== undefined) return Math.max(k, Math.min(fixed, MAX_EF_SEARCH));
    return efSearchFor(options.recall ?? this.where.dense.recall ?? DEFAULT_RECALL, k);
  }

  /** How many chunks a filter lets through (one read of the small articles table). */
  async allowedChunks(filter: SearchFilter): Promise<number> {
    this.live();
    const cond = filterCondition(filter, 1);
    if (!cond) return this.chunkCount;
    const r = await this.client.query<{ n: string }>(
      `SELECT coalesce(sum(a.chunk_count), 0) AS n FROM ${this.t('articles')} a WHERE ${cond.sql}`,
      cond.params,
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  /**
   * Cosine top-k (score = 1 − cosine distance, the dot product of unit vectors). Exact below
   * the HNSW threshold (no index yet) or when asked; else HNSW with `hnsw.ef_search` set for
   * this query from the recall wanted ({@link PostgresSnapshot.efSearch}). A filter is pushed
   * into SQL; pgvector 0.6 filters HNSW results after the graph
   * search (no iterative scan before 0.8), so a selective filter scans the allowed chunks
   * exactly, a broad one widens ef_search by the share it removes, and an HNSW search that
   * still comes back short is redone exactly.
   */
  async denseSearch(query: Float32Array, k: number, options: DenseSearchOptions = {}): Promise<KeyedScore[]> {
    this.live();
    if (k <= 0) return [];
    const cond = filterCondition(options.filter, 3);
    let exact = options.exact === true || !this.hasHnsw;
    let ef = this.efSearch(k, options);
    let allowed = this.chunkCount;
    if (cond) {
      allowed = await this.allowedChunks(options.filter as SearchFilter);
      if (allowed === 0) return [];
      if (
        allowed <= (options.exactBelow ?? EXACT_FILTERED_BELOW) ||
        allowed / Math.max(1, this.chunkCount) < EXACT_FILTERED_SHARE
      )
        exact = true;
      else ef = Math.min(MAX_EF_SEARCH, Math.ceil((ef * this.chunkCount) / allowed));
    }
    const run = async (exactScan: boolean) => {
      if (this.hasHnsw) {
        // HNSW supports only plain index scans: turning those off leaves the exact scan (and bitmap scans for filters).
        await this.set('enable_indexscan', exactScan ? 'off' : 'on');
        if (!exactScan) await this.set('hnsw.ef_search', String(Math.max(k, Math.min(ef, MAX_EF_SEARCH))));
      }
      const sql = cond
        ? `SELECT c.key, 1 - (c.embedding <=> $1) AS score FROM ${this.t('chunks')} c JOIN ${this.t('articles')} a ON a.key = c.article_key
           WHERE ${cond.sql} ORDER BY c.embedding <=> $1 LIMIT $2`
        : `SELECT c.key, 1 - (c.embedding <=> $1) AS score FROM ${this.t('chunks')} c ORDER BY c.embedding <=> $1 LIMIT $2`;
      const r = await this.client.query<{ key: string; score: number }>(sql, [
        vectorLiteral(query),
        k,
        ...(cond?.params ?? []),
      ]);
      return r.rows.map((row) => ({ key: Number(row.key), score: row.score }));
    };
    const hits = await run(exact);
    if (!exact && cond && hits.length < Math.min(k, allowed)) return run(true);
    return hits;
  }

  /**
   * Full-text top-k over chunk text and article title (the `tsv` column, GIN): chunks matching
   * any query lexeme, ranked by BM25+ (default) or by ts_rank_cd / ts_rank.
   */
  async lexicalSearch(query: string, k: number, options: LexicalOptions = {}): Promise<KeyedScore[]> {
    this.live();
    if (k <= 0) return [];
    if (options.ranking === 'cd' || options.ranking === 'rank') return this.tsRankSearch(query, k, options);
    const analysed = await this.client.query<{ terms: string[] }>(
      `SELECT tsvector_to_array(to_tsvector('${TS_CONFIG}', $1)) AS terms`,
      [query],
    );
    const terms = analysed.rows[0]?.terms ?? [];
    if (terms.length === 0) return [];
    await this.loadFrequencies(terms);
    const n = this.chunkCount;
    const idf = (df: number) => (df > 0 ? Math.log(1 + (n - df + 0.5) / (df + 0.5)) : 0);
    const stats = terms.map((term) => {
      const f = this.frequencies.get(term) as FieldFrequencies;
      return { term, idf_text: idf(f.text), idf_title: idf(f.title) };
    });
    const { k: k1, b, d } = BM25_PLUS_DEFAULTS;
    const cond = filterCondition(options.filter, 10);
    // Per candidate chunk and matched lexeme: its tf in the text (weight D) and the title (A),
    // BM25+ per field, summed, times the number of distinct query terms matched (MiniSearch's OR).
    const r = await this.client.query<{ key: string; score: number }>(
      `WITH terms AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(term text, idf_text float8, idf_title float8)),
       cand AS (
         SELECT c.key, c.tsv, c.text_len, c.title_len FROM ${this.t('chunks')} c
         ${cond ? `JOIN ${this.t('articles')} a ON a.key = c.article_key` : ''}
         WHERE c.tsv @@ $2::tsquery ${cond ? `AND ${cond.sql}` : ''}
       )
       SELECT cand.key, sum(
           CASE WHEN x.tf_text > 0 THEN terms.idf_text * ($6::float8 + x.tf_text * ($4::float8 + 1) / (x.tf_text + $4::float8 * (1 - $5::float8 + $5::float8 * cand.text_len / $7::float8))) ELSE 0 END
         + CASE WHEN x.tf_title > 0 THEN terms.idf_title * ($6::float8 + x.tf_title * ($4::float8 + 1) / (x.tf_title + $4::float8 * (1 - $5::float8 + $5::float8 * cand.title_len / $8::float8))) ELSE 0 END
         ) * count(*) AS score
       FROM cand
       CROSS JOIN LATERAL (
         SELECT u.lexeme,
                (SELECT count(*) FROM unnest(u.weights) w WHERE w = 'D') AS tf_text,
                (SELECT count(*) FROM unnest(u.weights) w WHERE w = 'A') AS tf_title
         FROM unnest(cand.tsv) u WHERE u.lexeme = ANY($9::text[])
       ) x
       JOIN terms ON terms.term = x.lexeme
       GROUP BY cand.key ORDER BY score DESC, cand.key LIMIT $3`,
      [
        JSON.stringify(stats),
        orQuery(terms),
        k,
        k1,
        b,
        d,
        Math.max(this.meanLength.text, 1e-9),
        Math.max(this.meanLength.title, 1e-9),
        terms,
        ...(cond?.params ?? []),
      ],
    );
    return r.rows.map((row) => ({ key: Number(row.key), score: row.score }));
  }

  /** Asks the document frequencies of the lexemes this snapshot does not know yet, in one query. */
  private async loadFrequencies(terms: readonly string[]): Promise<void> {
    const missing = terms.filter((t) => !this.frequencies.has(t));
    if (missing.length === 0) return;
    const r = await this.client.query<{ term: string; text: string; title: string }>(
      `SELECT t AS term,
              (SELECT count(*) FROM ${this.t('chunks')} WHERE tsv @@ (quote_literal(t) || ':D')::tsquery) AS text,
              (SELECT count(*) FROM ${this.t('chunks')} WHERE tsv @@ (quote_literal(t) || ':A')::tsquery) AS title
       FROM unnest($1::text[]) AS t`,
      [missing],
    );
    for (const row of r.rows) this.frequencies.set(row.term, { text: Number(row.text), title: Number(row.title) });
  }

  private async tsRankSearch(query: string, k: number, options: LexicalOptions): Promise<KeyedScore[]> {
    const cond = filterCondition(options.filter, 4);
    const rank = options.ranking === 'rank' ? 'ts_rank' : 'ts_rank_cd';
    const norm = options.normalization ?? 1;
    const r = await this.client.query<{ key: string; score: number }>(
      `SELECT c.key, ${rank}(c.tsv, q.q, $3) AS score FROM ${this.t('chunks')} c
       ${cond ? `JOIN ${this.t('articles')} a ON a.key = c.article_key` : ''}, (SELECT ${OR_QUERY} AS q) q
       WHERE c.tsv @@ q.q ${cond ? `AND ${cond.sql}` : ''} ORDER BY score DESC, c.key LIMIT $2`,
      [query, k, norm, ...(cond?.params ?? [])],
    );
    return r.rows.map((row) => ({ key: Number(row.key), score: row.score }));
  }

  /** Chunks whose text or title matches `word` (for IDF), through the GIN index. */
  async documentFrequency(word: string): Promise<number> {
    this.live();
    const r = await this.client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.t('chunks')} WHERE tsv @@ plainto_tsquery('${TS_CONFIG}', $1)`,
      [word],
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  /** The chunks (and, with `vectors`, their vectors) of `keys`, in the order asked; one query. Unknown keys are left out. */
  async fetch(keys: readonly number[], options: { vectors?: boolean } = {}): Promise<FetchedChunk[]> {
    this.live();
    if (keys.length === 0) return [];
    const r = await this.client.query<ChunkRow>(
      `SELECT ${this.chunkColumns(options.vectors === true)} WHERE c.key = ANY($1::bigint[])`,
      [keys],
    );
    const byKey = new Map(r.rows.map((row) => [Number(row.key), fetchedOf(row)]));
    return keys.flatMap((k) => byKey.get(k) ?? []);
  }

  /**
   * The select list and FROM clause of a chunk query (see {@link ChunkRow}). Vectors come as
   * `vector_send`, pgvector's binary form (a 4-byte header, then big-endian float4s): a
   * quarter of the text form and no decimal parsing.
   */
  private chunkColumns(vectors: boolean): string {
    return `c.key, a.id AS article_id, c.ordinal, c.start_offset, c.end_offset, c.tokens, c.title, c.text
            ${vectors ? ', vector_send(c.embedding) AS vector' : ''}
            FROM ${this.t('chunks')} c JOIN ${this.t('articles')} a ON a.key = c.article_key`;
  }

  /** {@link documentFrequency} of each word, in one query. */
  async documentFrequencies(words: readonly string[]): Promise<Map<string, number>> {
    this.live();
    const out = new Map<string, number>();
    if (words.length === 0) return out;
    const r = await this.client.query<{ word: string; n: string }>(
      `SELECT w AS word, (SELECT count(*) FROM ${this.t('chunks')} WHERE tsv @@ plainto_tsquery('${TS_CONFIG}', w)) AS n
       FROM unnest($1::text[]) AS w`,
      [[...new Set(words)]],
    );
    for (const row of r.rows) out.set(row.word, Number(row.n));
    return out;
  }

  /** Every chunk, with its vector, of articles `ids`, in chunk order; one query. */
  async fetchArticles(ids: readonly string[]): Promise<{ id: string; chunks: FetchedChunk[] }[]> {
    return this.fetchWhole('a.id = ANY($1::text[])', [ids]);
  }

  /**
   * Every chunk, with its vector, of the articles that hold any of `keys`: whole articles in
   * chunk order, articles in id order; one query. What a question's ranking reads beyond its hits.
   */
  async fetchArticlesOf(keys: readonly number[]): Promise<{ id: string; chunks: FetchedChunk[] }[]> {
    if (keys.length === 0) return [];
    return this.fetchWhole(
      `c.article_key IN (SELECT article_key FROM ${this.t('chunks')} WHERE key = ANY($1::bigint[]))`,
      [keys],
    );
  }

  private async fetchWhole(where: string, params: unknown[]): Promise<{ id: string; chunks: FetchedChunk[] }[]> {
    this.live();
    const r = await this.client.query<ChunkRow>(
      `SELECT ${this.chunkColumns(true)} WHERE ${where} ORDER BY a.id, c.ordinal`,
      params,
    );
    const out: { id: string; chunks: FetchedChunk[] }[] = [];
    for (const row of r.rows) {
      const last = out[out.length - 1];
      const entry = last?.id === row.article_id ? last : { id: row.article_id, chunks: [] };
      if (entry !== last) out.push(entry);
      entry.chunks.push(fetchedOf(row));
    }
    return out;
  }

  /** The chunk keys of an article, in chunk order. */
  async chunkKeys(articleId: string): Promise<number[]> {
    this.live();
    const r = await this.client.query<{ key: string }>(
      `SELECT c.key FROM ${this.t('chunks')} c JOIN ${this.t('articles')} a ON a.key = c.article_key WHERE a.id = $1 ORDER BY c.ordinal`,
      [articleId],
    );
    return r.rows.map((row) => Number(row.key));
  }

  async article(id: string): Promise<ArticleRecord | undefined> {
    this.live();
    const r = await this.client.query<{ record: ArticleRecord }>(
      `SELECT record FROM ${this.t('articles')} WHERE id = $1`,
      [id],
    );
    return r.rows[0]?.record;
  }

  /** Every article record, by id. */
  async articles(): Promise<ArticleRecord[]> {
    this.live();
    const r = await this.client.query<{ record: ArticleRecord }>(
      `SELECT record FROM ${this.t('articles')} ORDER BY id`,
    );
    return r.rows.map((row) => row.record);
  }

  /** Ends the read transaction and returns the connection to the pool. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.query('COMMIT');
      this.client.release();
    } catch (error) {
      this.client.release(error as Error);
    }
  }
}
