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
import { newsragError } from '../../errors.js';
import type { ArticleRecord, Chunk, SearchFilter } from '../../types.js';
import { BM25_PLUS_DEFAULTS } from '../bm25-plus.js';
import type { Manifest } from '../contract.js';
import { corruptTable } from './corrupt.js';
import { DEFAULT_RECALL, efSearchFor, MAX_EF_SEARCH } from './ef-search.js';
import { queryLexemes, quoteLexeme, TITLE_PREFIX } from './lexemes.js';
import { type PostgresLocation, qualified } from './location.js';
import { type MetaRow, manifestOf, metaProblem } from './meta.js';
import { foreignTables, HNSW_INDEX } from './schema.js';
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

export interface LexicalOptions {
  filter?: SearchFilter;
  /** Leave the common terms' own matches unscored when provably outside the top k (default true; false scores every match, for measuring). */
  prune?: boolean;
}

/** What a lexical search did: how it pruned, for tests and the benchmark. */
export interface LexicalPlan {
  hits: KeyedScore[];
  /** Distinct query terms the index holds. */
  terms: number;
  /** Their parts: a term in the text, a term in the title (each its own lexeme). */
  parts: number;
  /** Of the parts, those whose every match was scored (the rarer ones); the others were scored only where they met other parts, or added to chunks another part brought. */
  essential: number;
  /** Candidate chunks scored, over all rounds. */
  scored: number;
  /** Scoring queries run (1 when the first choice of rare terms was proven enough, 2 when it was widened). */
  rounds: number;
}

/** One field of a query term: its lexeme, query repeats, IDF, document frequency and score bound. */
interface LexicalPart {
  lexeme: string;
  term: string;
  title: boolean;
  m: number;
  idf: number;
  df: number;
  bound: number;
}

/** Document frequencies of a term: chunks holding it in the text, in the title, in either. */
interface TermFrequencies {
  text: number;
  title: number;
  any: number;
}

/**
 * The first round scores the matches of the rarest query terms up to this many candidate
 * chunks (their document frequencies summed; always at least the rarest term): a tenth of
 * the index, at least 4k and at most 5,000. Enough for a k-th score that usually proves the
 * common terms' matches cannot reach the top k; when it does not, round two widens.
 */
function firstRoundCandidates(chunks: number, k: number): number {
  return Math.min(5000, Math.max(4 * k, Math.ceil(chunks / 10)));
}
/** A bound must stay this far below the k-th score to prune: float sums in another order differ in the last bits. */
const BOUND_MARGIN = 1 + 1e-9;

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

/** A tsquery matching any of `lexemes` (already analysed: quoted so they are not analysed again). */
export function orQuery(lexemes: readonly string[]): string {
  return lexemes.map(quoteLexeme).join(' | ');
}

/** Clauses past which {@link sufficientSets} gives up on combinations and keeps whole parts. */
const MAX_CLAUSES = 256;

/**
 * The sets of query parts whose matching together could lift a chunk to `theta`: minimal sets
 * S with (Σ bounds of S) × (distinct terms of S) ≥ θ, as an OR of ANDs of the chunks to score.
 * A chunk matching none of them matches parts whose bounds cannot reach θ: it is not in the
 * top k. A rare part is a set alone; common parts only in combinations (a chunk holding one
 * common word is never scored for it). Past {@link MAX_CLAUSES} sets, every part that reaches
 * θ with all lower parts together stays whole (the coarser, still exact, rule).
 */
export function sufficientSets<P extends { term: string; bound: number }>(parts: readonly P[], theta: number): P[][] {
  const byBound = [...parts].sort((x, y) => y.bound - x.bound);
  const reaches = (set: readonly P[], sum: number) =>
    sum * new Set(set.map((p) => p.term)).size * BOUND_MARGIN >= theta;
  const rest: number[] = [];
  for (let i = byBound.length - 1, acc = 0; i >= 0; i--) rest[i] = acc += (byBound[i] as P).bound;
  const out: P[][] = [];
  let overflow = false;
  const grow = (start: number, set: P[], sum: number) => {
    for (let i = start; i < byBound.length && !overflow; i++) {
      const p = byBound[i] as P;
      const next = [...set, p];
      if (reaches(next, sum + p.bound)) {
        out.push(next);
        if (out.length > MAX_CLAUSES) overflow = true;
      } else if (reaches([...set, ...byBound.slice(i)], sum + (rest[i] as number))) {
        grow(i + 1, next, sum + p.bound);
      }
    }
  };
  grow(0, [], 0);
  if (!overflow) return out;
  // The longest run of low-bound parts that cannot reach θ even all together; the rest stay whole.
  const low = [...byBound].reverse();
  let sum = 0;
  let left = 0;
  while (left < low.length && !reaches(low.slice(0, left + 1), sum + (low[left] as P).bound)) {
    sum += (low[left] as P).bound;
    left++;
  }
  return low.slice(left).map((p) => [p]);
}

export class PostgresSnapshot {
  private closed = false;
  private settings = new Map<string, string>();
  /** Per lexeme, for BM25's IDF: fixed for the snapshot, so asked once each. */
  private readonly frequencies = new Map<string, TermFrequencies>();

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
    if (this.closed)
      throw newsragError('BAD_OPTIONS', {
        subject: 'This index snapshot',
        problem: 'is closed',
        fix: 'open a new one',
      });
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
   * Lexical top-k over chunk text and article title: BM25+ exactly as the embedded engines
   * score it (bm25-plus.ts: per term and field, IDF from that field's document frequency,
   * summed per chunk, times the distinct query terms it matched), over the same terms (the
   * query is analysed here with the embedded analyser, the tsvectors were by the writer).
   * PostgreSQL only matches (GIN) and reads the matched lexemes' tfs; the document
   * frequencies come from the `terms` table. See {@link lexicalPlan} for the pruning.
   */
  async lexicalSearch(query: string, k: number, options: LexicalOptions = {}): Promise<KeyedScore[]> {
    return (await this.lexicalPlan(query, k, options)).hits;
  }

  /**
   * {@link lexicalSearch}, saying how it pruned. Exact top-k by a MaxScore-like argument over
   * the query's parts (a term in one field: the text, or the title, each its own lexeme and
   * document frequency): a part scores at most `idf·(d + k1 + 1)` (the tf factor stays below
   * k1 + 1), times the term's repeats in the query, and a chunk's score is at most the sum of
   * its matched parts' bounds times their distinct terms (the quality factor). Round one scores
   * the matches of the rarest parts (up to {@link firstRoundCandidates} chunks), each chunk over
   * every part; its k-th score θ is a floor of the true k-th. Round two scores the chunks that
   * match one of {@link sufficientSets}: the combinations of parts that could reach θ (a rare
   * part alone, common ones only together), so a chunk holding only one or two common words is
   * never scored. Round two is skipped when round one's candidates already hold those chunks;
   * fewer than k matches in round one make every part a set alone (every match scored).
   */
  async lexicalPlan(query: string, k: number, options: LexicalOptions = {}): Promise<LexicalPlan> {
    this.live();
    const none = { hits: [], terms: 0, parts: 0, essential: 0, scored: 0, rounds: 0 };
    if (k <= 0) return none;
    const asked = queryLexemes(query);
    if (asked.length === 0) return none;
    const repeats = new Map<string, number>();
    for (const l of asked) repeats.set(l, (repeats.get(l) ?? 0) + 1);
    await this.loadFrequencies([...repeats.keys()]);
    const n = this.chunkCount;
    const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const { k: k1, b, d } = BM25_PLUS_DEFAULTS;
    const parts: LexicalPart[] = [];
    for (const [term, m] of repeats) {
      const f = this.frequencies.get(term) as TermFrequencies;
      for (const [title, df] of [
        [false, f.text],
        [true, f.title],
      ] as const) {
        if (df <= 0) continue;
        const w = idf(df);
        parts.push({
          lexeme: title ? TITLE_PREFIX + term : term,
          term,
          title,
          m,
          idf: w,
          df,
          bound: m * (d + k1 + 1) * w,
        });
      }
    }
    const terms = new Set(parts.map((p) => p.term)).size;
    if (parts.length === 0) return none;
    const scoring = JSON.stringify(parts.map(({ lexeme, term, title, m, idf }) => ({ lexeme, term, title, m, idf })));
    const all = parts.map((p) => p.lexeme);
    const score = (candidates: string) =>
      this.scoreLexical(scoring, all, candidates, Math.floor(k), [k1, b, d], options.filter);

    const byDf = [...parts].sort((x, y) => x.df - y.df || x.lexeme.localeCompare(y.lexeme));
    const first: LexicalPart[] = [];
    let budget = 0;
    const cap = options.prune === false ? Number.POSITIVE_INFINITY : firstRoundCandidates(n, k);
    for (const p of byDf) {
      if (first.length > 0 && budget + p.df > cap) break;
      first.push(p);
      budget += p.df;
    }
    const firstRound = await score(orQuery(first.map((p) => p.lexeme)));
    let hits = firstRound.hits;
    let scored = firstRound.candidates;
    let rounds = 1;
    let essential = first.length;
    if (first.length < parts.length) {
      const theta = hits.length >= k ? (hits[hits.length - 1]?.score ?? 0) : 0;
      const clauses = sufficientSets(parts, theta);
      const had = new Set(first);
      // Round one's candidates already hold every chunk of a clause with a part of round one.
      if (clauses.some((c) => !c.some((p) => had.has(p)))) {
        const second = await score(
          clauses.map((c) => `(${c.map((p) => quoteLexeme(p.lexeme)).join(' & ')})`).join(' | '),
        );
        hits = second.hits;
        scored += second.candidates;
        rounds = 2;
        essential = clauses.filter((c) => c.length === 1).length;
      }
    }
    return { hits, terms, parts: parts.length, essential, scored, rounds };
  }

  /**
   * The top k of the chunks matching any `essential` lexeme, each scored over every part of
   * the query (`scoring`: per lexeme its term, field, query repeats and IDF): per candidate
   * the matched lexemes' tfs from `unnest(tsv)` (lexemes.ts), BM25+ per part, summed, times
   * the distinct terms matched.
   */
  private async scoreLexical(
    scoring: string,
    all: readonly string[],
    candidates: string,
    k: number,
    [k1, b, d]: [number, number, number],
    filter: SearchFilter | undefined,
  ): Promise<{ hits: KeyedScore[]; candidates: number }> {
    const cond = filterCondition(filter, 10);
    const r = await this.client.query<{ key: string; score: number; candidates: string }>(
      `WITH parts AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(lexeme text, term text, title boolean, m float8, idf float8)),
       cand AS (
         SELECT c.key, c.tsv, c.text_len, c.title_len FROM ${this.t('chunks')} c
         ${cond ? `JOIN ${this.t('articles')} a ON a.key = c.article_key` : ''}
         WHERE c.tsv @@ $2::tsquery ${cond ? `AND ${cond.sql}` : ''}
       )
       SELECT cand.key, sum(parts.m * parts.idf * ($6::float8 + x.tf * ($4::float8 + 1) / (x.tf + $4::float8 * (1 - $5::float8 + $5::float8 *
           CASE WHEN parts.title THEN cand.title_len / $8::float8 ELSE cand.text_len / $7::float8 END)))
         ) * count(DISTINCT parts.term) AS score,
         count(*) OVER () AS candidates
       FROM cand
       CROSS JOIN LATERAL (
         SELECT u.lexeme, u.positions[1]::float8 AS tf FROM unnest(cand.tsv) u WHERE u.lexeme = ANY($9::text[])
       ) x
       JOIN parts ON parts.lexeme = x.lexeme
       GROUP BY cand.key ORDER BY score DESC, cand.key LIMIT $3`,
      [
        scoring,
        candidates,
        k,
        k1,
        b,
        d,
        Math.max(this.meanLength.text, 1e-9),
        Math.max(this.meanLength.title, 1e-9),
        all,
        ...(cond?.params ?? []),
      ],
    );
    return {
      hits: r.rows.map((row) => ({ key: Number(row.key), score: row.score })),
      candidates: Number(r.rows[0]?.candidates ?? 0),
    };
  }

  /** Reads the document frequencies of the lexemes this snapshot does not know yet from `terms`, in one query. */
  private async loadFrequencies(lexemes: readonly string[]): Promise<void> {
    const missing = [...new Set(lexemes)].filter((t) => !this.frequencies.has(t));
    if (missing.length === 0) return;
    const r = await this.client.query<{ term: string; text_df: number; title_df: number; any_df: number }>(
      `SELECT term, text_df, title_df, any_df FROM ${this.t('terms')} WHERE term = ANY($1::text[])`,
      [missing],
    );
    for (const t of missing) this.frequencies.set(t, { text: 0, title: 0, any: 0 });
    for (const row of r.rows)
      this.frequencies.set(row.term, { text: row.text_df, title: row.title_df, any: row.any_df });
  }

  /** Chunks a one-word lexical search for `word` matches (text or title), as the embedded engines count it. */
  async documentFrequency(word: string): Promise<number> {
    return (await this.documentFrequencies([word])).get(word) ?? 0;
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

  /**
   * {@link documentFrequency} of each word: a word of one term from the `terms` table, a word
   * the analyser splits (`covid-19`) by counting the chunks matching any of its terms (GIN).
   */
  async documentFrequencies(words: readonly string[]): Promise<Map<string, number>> {
    this.live();
    const out = new Map<string, number>();
    const lexemesOf = new Map([...new Set(words)].map((w) => [w, [...new Set(queryLexemes(w))]]));
    await this.loadFrequencies([...lexemesOf.values()].flat());
    const split: string[] = [];
    for (const [word, lexemes] of lexemesOf) {
      if (lexemes.length <= 1) out.set(word, lexemes[0] ? (this.frequencies.get(lexemes[0])?.any ?? 0) : 0);
      else split.push(word);
    }
    if (split.length > 0) {
      const r = await this.client.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM ${this.t('chunks')} WHERE tsv @@ q::tsquery) AS n FROM unnest($1::text[]) WITH ORDINALITY AS x(q, i) ORDER BY i`,
        [split.map((w) => orQuery((lexemesOf.get(w) as string[]).flatMap((t) => [t, TITLE_PREFIX + t])))],
      );
      split.forEach((w, i) => {
        out.set(w, Number(r.rows[i]?.n ?? 0));
      });
    }
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
