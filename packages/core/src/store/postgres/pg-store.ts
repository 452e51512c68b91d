/**
 * The Postgres + pgvector engine's storage: schema on open, transactional writes, the
 * committed generation, checks. Searching is {@link PostgresSnapshot} (snapshot.ts), which
 * {@link PostgresIndexReader} puts behind the store contract: the contract's reader is
 * synchronous and node-postgres is not, so a question's reads are fetched by the reader's
 * `prepare()` (one slice per question) and ranked in memory as with the embedded engines.
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { modelFacts, NewsragError, newsragError } from '../../errors.js';
import { indexAnalyzer } from '../../text/analyzers.js';
import type { ArticleRecord } from '../../types.js';
import type { ConsistencyReport, IndexStore, IndexUpdate, WriteOptions } from '../contract.js';
import { collectionOf } from '../filter.js';
import { killPoint } from '../kill-point.js';
import { CHUNK_COPY_COLUMNS, COPY_HEADER, COPY_TRAILER, encodeChunkRow } from './copy.js';
import { corruptTable, describeProblem } from './corrupt.js';
import { chunkLexemes, fieldTerms, termCountsSql, tsvectorBinary, tsvectorLiterals } from './lexemes.js';
import { type DenseSettings, type PostgresLocation, parsePostgresLocation, qualified } from './location.js';
import { type MetaRow, metaProblem } from './meta.js';
import { PostgresIndexReader } from './pg-reader.js';
import {
  foreignTables,
  HNSW_INDEX,
  LOCK_CLASS,
  type Migration,
  migrate,
  pendingMigrations,
  writerLockName,
} from './schema.js';
import { PostgresSnapshot } from './snapshot.js';

/** Chunks past which a write builds the HNSW index (below it, exact search is fast enough). */
export const DEFAULT_HNSW_THRESHOLD = 50_000;

export interface HnswParameters {
  /** Graph degree (pgvector's default 16; ours 32, see {@link DEFAULT_HNSW}). */
  m: number;
  /** Build-time candidate list (pgvector's default 64; ours 256). */
  efConstruction: number;
}

/**
 * The graph the store builds. On clustered 384-dimension chunks pgvector's defaults (m 16,
 * ef_construction 64) stop at recall@10 0.92 at 250k chunks and 0.82 at 1M whatever
 * ef_search: the graph leaves neighbours no search reaches. The degree sets the search's cost,
 * the build candidates the graph's reach: at 1M, m 32 with ef_construction 128 gave 0.89–0.96
 * from one build to the next, with 256 0.972 from ef_search 100 on, at the same search cost
 * and a build 1.4× as long (bench/postgres-scale.ts, figures in the README).
 */
export const DEFAULT_HNSW: HnswParameters = { m: 32, efConstruction: 256 };

export interface PostgresIndexStoreOptions {
  /** Refuse (INDEX_MODEL_MISMATCH) to open an index built with another embedder fingerprint. */
  expectFingerprintId?: string;
  /** Build the HNSW index once a write leaves at least this many chunks (Infinity: never automatically). */
  hnswThreshold?: number;
  hnsw?: Partial<HnswParameters>;
  /** `maintenance_work_mem` for the HNSW build (the graph must fit in it to build fast). */
  buildMemory?: string;
  /** Connections of the pool (default 10); each open snapshot holds one. */
  poolSize?: number;
  /** Dense search's recall or fixed `ef_search`; overrides the URL's `recall` / `ef_search`. */
  dense?: DenseSettings;
}

/** What {@link PostgresIndexStore.commit} committed. */
export interface WriteResult {
  generation: number;
  articleCount: number;
  chunkCount: number;
  /** True when this write built the HNSW index. */
  builtHnsw: boolean;
}

/** The article columns written for a record (its filter fields pulled out of `meta`). */
function articleColumns(record: ArticleRecord) {
  return {
    id: record.id,
    record,
    chunk_count: record.chunkCount,
    source: record.meta.source ?? null,
    collection: collectionOf(record),
    language: record.meta.language ?? null,
    date: record.meta.date ?? null,
  };
}

export class PostgresIndexStore implements IndexStore {
  readonly engine = 'postgres';
  readonly location: string;
  readonly where: PostgresLocation;
  private readonly pool: pg.Pool;
  private migrated: Promise<number[]> | null = null;
  private readonly hnswThreshold: number;
  private readonly hnsw: HnswParameters;
  private readonly buildMemory: string;

  constructor(
    url: string,
    private readonly options: PostgresIndexStoreOptions = {},
  ) {
    const parsed = parsePostgresLocation(url);
    this.where = { ...parsed, dense: { ...parsed.dense, ...options.dense } };
    this.location = this.where.display;
    this.pool = new pg.Pool({ connectionString: this.where.connectionString, max: options.poolSize ?? 10 });
    // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
    this.hnswThreshold = options.hnswThreshold ?? DEFAULT_HNSW_THRESHOLD;
    this.hnsw = {
      m: options.hnsw?.m ?? DEFAULT_HNSW.m,
      efConstruction: options.hnsw?.efConstruction ?? DEFAULT_HNSW.efConstruction,
    };
    this.buildMemory = options.buildMemory ?? '1GB';
  }

  private t(table: string): string {
    return qualified(this.where.schema, table);
  }

  /** Applies pending migrations once per store object; the versions it applied. */
  ensureSchema(): Promise<number[]> {
    this.migrated ??= (async () => {
      const client = await this.pool.connect();
      try {
        return await migrate(client, this.where.schema);
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      this.migrated = null;
      throw this.connectionError(error);
    });
    return this.migrated;
  }

  /** The schema migrations {@link ensureSchema} would apply now (none when up to date), without applying them. */
  async pendingMigrations(): Promise<Migration[]> {
    try {
      const client = await this.pool.connect();
      try {
        return await pendingMigrations(client, this.where.schema);
      } finally {
        client.release();
      }
    } catch (error) {
      throw this.connectionError(error);
    }
  }

  private connectionError(error: unknown): unknown {
    if (error instanceof NewsragError) return error;
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === '28P01' || code === '3D000') {
      return newsragError(
        'INDEX_NOT_FOUND',
        { index: this.location, engine: 'Postgres', unreachable: (error as Error).message },
        { cause: error },
      );
    }
    return error;
  }

  /** The committed generation, or null when nothing was written yet. One indexed read. */
  async committedGeneration(): Promise<number | null> {
    await this.ensureSchema();
    const r = await this.pool.query<{ generation: string }>(`SELECT generation FROM ${this.t('meta')}`);
    return r.rows[0] ? Number(r.rows[0].generation) : null;
  }

  /**
   * A snapshot of the committed state (a REPEATABLE READ, READ ONLY transaction on a
   * connection of its own, held until `close()`), or null when there is no index yet.
   * @throws INDEX_MODEL_MISMATCH when `expectFingerprintId` names another model.
   */
  async snapshot(): Promise<PostgresSnapshot | null> {
    await this.ensureSchema();
    const client = await this.pool.connect();
    let snap: PostgresSnapshot | null;
    try {
      snap = await PostgresSnapshot.begin(client, this.where);
    } catch (error) {
      // begin() hands the client over only on success; on a throw it may be inside the
      // snapshot's transaction, so it is destroyed rather than pooled.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    if (!snap) return null;
    const expected = this.options.expectFingerprintId;
    if (expected !== undefined && snap.manifest.fingerprintId !== expected) {
      await snap.close();
      throw newsragError('INDEX_MODEL_MISMATCH', {
        index: this.location,
        built: modelFacts(snap.manifest),
        inUse: { fingerprintId: expected },
      });
    }
    return snap;
  }

  /** The contract's reader over a new {@link snapshot}, or null when there is no index yet. */
  async open(): Promise<PostgresIndexReader | null> {
    const snapshot = await this.snapshot();
    return snapshot ? PostgresIndexReader.over(snapshot) : null;
  }

  /**
   * {@link commit}, then a reader of the committed state (or of a later one, when another
   * writer commits between the two: a snapshot cannot be taken inside the write's transaction).
   */
  async write(update: IndexUpdate, options: WriteOptions = {}): Promise<PostgresIndexReader> {
    await this.commit(update, options);
    const reader = await this.open();
    if (!reader) throw new Error(`internal: no index at ${this.location} right after a committed write`);
    return reader;
  }

  /**
   * Applies `update` in one transaction under `pg_try_advisory_xact_lock` (a second writer
   * gets INDEX_LOCKED at once; a writer that dies releases it with its session). Chunks go
   * in by binary COPY. Removals and replaced articles are DELETEs (cascading to their
   * chunks), never TRUNCATE, whose exclusive lock would wait for every open snapshot.
   * @throws INDEX_LOCKED, INDEX_MODEL_MISMATCH, BAD_OPTIONS.
   */
  async commit(update: IndexUpdate, options: WriteOptions = {}): Promise<WriteResult> {
    const d = update.dimensions;
    for (const u of update.upserts) {
      if (u.vectors.length !== u.chunks.length * d || u.record.chunkCount !== u.chunks.length) {
        throw newsragError('BAD_OPTIONS', {
          subject: `Index update: article ${u.record.id}`,
          problem: `has ${u.chunks.length} chunks, chunkCount ${u.record.chunkCount} and ${u.vectors.length} floats`,
          fix: `chunkCount must equal the chunks, with ${d} floats per chunk`,
        });
      }
    }
    await this.ensureSchema();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [
        LOCK_CLASS,
        writerLockName(this.where.schema),
      ]);
      if (!lock.rows[0]?.ok) {
        throw newsragError('INDEX_LOCKED', {
          index: this.location,
          fix: 'A writer that died releases its lock with its connection',
        });
      }
      // Another program's table is never written into, nor dropped, even by a rebuild.
      const [foreign] = await foreignTables(client, this.where.schema);
      if (foreign) throw corruptTable(this.where, foreign);
      await killPoint('locked');
      const result = await this.applyLocked(client, update, options.replace === true);
      await killPoint('before-commit');
      await client.query('COMMIT');
      await killPoint('after-commit');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async applyLocked(client: pg.PoolClient, update: IndexUpdate, replace: boolean): Promise<WriteResult> {
    const d = update.dimensions;
    const meta = (await client.query<MetaRow>(`SELECT * FROM ${this.t('meta')} FOR UPDATE`)).rows[0];
    const problem = meta && !replace ? metaProblem(meta) : null;
    if (problem) throw corruptTable(this.where, { table: this.t('meta'), problem });
    if (meta && !replace && meta.fingerprint_id !== update.fingerprintId) {
      throw newsragError('INDEX_MODEL_MISMATCH', {
        index: this.location,
        built: modelFacts({
          fingerprint: meta.fingerprint,
          fingerprintId: meta.fingerprint_id,
          dimensions: meta.dimensions,
        }),
        inUse: modelFacts(update),
      });
    }
    let articleCount = meta ? Number(meta.article_count) : 0;
    let chunkCount = meta ? Number(meta.chunk_count) : 0;
    let textLenSum = meta ? Number(meta.text_len_sum) : 0;
    let titleLenSum = meta ? Number(meta.title_len_sum) : 0;
    const generation = (meta ? Number(meta.generation) : 0) + 1;

    if (replace && meta) {
      await client.query(`DELETE FROM ${this.t('articles')}`);
      await client.query(`DELETE FROM ${this.t('terms')}`);
      articleCount = 0;
      chunkCount = 0;
      textLenSum = 0;
      titleLenSum = 0;
    }
    await this.fixDimensions(client, d);

    // Replaced and removed articles go first (their chunks cascade).
    const gone = [...new Set([...update.removals, ...update.upserts.map((u) => u.record.id)])];
    const removed = new Set<string>();
    if (gone.length > 0 && articleCount > 0) {
      const lens = await client.query<{ text: string; title: string }>(
        `SELECT coalesce(sum(c.text_len), 0) AS text, coalesce(sum(c.title_len), 0) AS title
         FROM ${this.t('chunks')} c JOIN ${this.t('articles')} a ON a.key = c.article_key WHERE a.id = ANY($1::text[])`,
        [gone],
      );
      textLenSum -= Number(lens.rows[0]?.text ?? 0);
      titleLenSum -= Number(lens.rows[0]?.title ?? 0);
      // The leaving chunks' lexemes no longer count in the document frequencies; lexemes no
      // chunk holds any more leave the table (a second statement: one statement cannot update
      // and delete the same row).
      const emptied = await client.query<{ term: string; any_df: number }>(
        `WITH gone (term, text_df, title_df, any_df) AS (${termCountsSql(
          this.t('chunks'),
          `JOIN ${this.t('articles')} a ON a.key = c.article_key`,
          'WHERE a.id = ANY($1::text[])',
        )})
         UPDATE ${this.t('terms')} t SET text_df = t.text_df - g.text_df, title_df = t.title_df - g.title_df, any_df = t.any_df - g.any_df
         FROM gone g WHERE t.term = g.term RETURNING t.term, t.any_df`,
        [gone],
      );
      const unused = emptied.rows.filter((row) => row.any_df <= 0).map((row) => row.term);
      if (unused.length > 0)
        await client.query(`DELETE FROM ${this.t('terms')} WHERE term = ANY($1::text[])`, [unused]);
      const r = await client.query<{ id: string; chunk_count: number }>(
        `DELETE FROM ${this.t('articles')} WHERE id = ANY($1::text[]) RETURNING id, chunk_count`,
        [gone],
      );
      for (const row of r.rows) {
        removed.add(row.id);
        articleCount--;
        chunkCount -= row.chunk_count;
      }
    }

    if (update.upserts.length > 0) {
      const rows = update.upserts.map((u) => articleColumns(u.record));
      const inserted = await client.query<{ key: string; id: string }>(
        `INSERT INTO ${this.t('articles')} (id, record, chunk_count, source, collection, language, date, generation)
         SELECT x.id, x.record, x.chunk_count, x.source, x.collection, x.language, x.date, $2
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, record jsonb, chunk_count int, source text, collection text, language text, date text)
         RETURNING key, id`,
        [JSON.stringify(rows), generation],
      );
      const keyOf = new Map(inserted.rows.map((r) => [r.id, Number(r.key)]));
      const { lens, counts } = await this.copyChunks(client, update, keyOf);
      textLenSum += lens.text;
      titleLenSum += lens.title;
      await this.addTermCounts(client, counts);
      articleCount += update.upserts.length;
      chunkCount += update.upserts.reduce((n, u) => n + u.chunks.length, 0);
    }

    const signatures = (update.signatures ?? []).filter(
      (s) => !removed.has(s.id) && !update.upserts.some((u) => u.record.id === s.id),
    );
    if (signatures.length > 0) {
      await client.query(
        `UPDATE ${this.t('articles')} a SET record = jsonb_set(a.record, '{signature}', x.signature), generation = $2
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, signature jsonb) WHERE a.id = x.id`,
        [JSON.stringify(signatures), generation],
      );
    }

    const changes = [
      ...update.upserts.map((u) => ({ id: u.record.id, kind: 'upsert' })),
      ...update.removals.filter((id) => removed.has(id)).map((id) => ({ id, kind: 'remove' })),
      ...signatures.map((s) => ({ id: s.id, kind: 'signature' })),
    ];
    if (changes.length > 0) {
      await client.query(
        `INSERT INTO ${this.t('changes')} (generation, article_id, kind)
         SELECT $1, x.id, x.kind FROM jsonb_to_recordset($2::jsonb) AS x(id text, kind text)`,
        [generation, JSON.stringify(changes)],
      );
    }

    await client.query(
      `INSERT INTO ${this.t('meta')} (id, fingerprint, fingerprint_id, dimensions, generation, article_count, chunk_count,
         text_len_sum, title_len_sum, created_at, updated_at)
       VALUES (true, $1, $2, $3, $4, $5, $6, $8, $9, now(), now())
       ON CONFLICT (id) DO UPDATE SET fingerprint = $1, fingerprint_id = $2, dimensions = $3, generation = $4,
         article_count = $5, chunk_count = $6, text_len_sum = $8, title_len_sum = $9, updated_at = now(),
         created_at = CASE WHEN $7 THEN now() ELSE ${this.t('meta')}.created_at END`,
      [
        JSON.stringify(update.fingerprint),
        update.fingerprintId,
        d,
        generation,
        articleCount,
        chunkCount,
        replace,
        textLenSum,
        titleLenSum,
      ],
    );

    let builtHnsw = false;
    if (chunkCount >= this.hnswThreshold && !(await this.hasHnsw(client))) {
      await this.createHnsw(client);
      builtHnsw = true;
    }
    return { generation, articleCount, chunkCount, builtHnsw };
  }

  /** Types `embedding` as `vector(d)` when it is not yet (a new index, or a replace by another model). */
  private async fixDimensions(client: pg.PoolClient, d: number): Promise<void> {
    const r = await client.query<{ typmod: number }>(
      `SELECT atttypmod AS typmod FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'embedding'`,
      [this.t('chunks')],
    );
    if (r.rows[0]?.typmod === d) return;
    // Only reached on an empty chunks table (a fresh index, or a replace that just deleted
    // everything), so the rewrite is instant; the HNSW index goes with the old type.
    await client.query(`DROP INDEX IF EXISTS "${this.where.schema}"."${HNSW_INDEX}"`);
    await client.query(`ALTER TABLE ${this.t('chunks')} ALTER COLUMN embedding TYPE vector(${d})`);
  }

  /** Adds the new chunks' document frequencies (`counts`: lexeme → [text, title, any]) to `terms`. */
  private async addTermCounts(client: pg.PoolClient, counts: Map<string, [number, number, number]>): Promise<void> {
    if (counts.size === 0) return;
    const terms = [...counts.keys()];
    const column = (i: 0 | 1 | 2) => terms.map((t) => (counts.get(t) as [number, number, number])[i]);
    await client.query(
      `INSERT INTO ${this.t('terms')} AS t (term, text_df, title_df, any_df)
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[])
       ON CONFLICT (term) DO UPDATE SET text_df = t.text_df + excluded.text_df, title_df = t.title_df + excluded.title_df,
         any_df = t.any_df + excluded.any_df`,
      [terms, column(0), column(1), column(2)],
    );
  }

  /**
   * COPYs the upserts' chunks, each with its tsvector analysed here (lexemes.ts); returns the
   * sums of their BM25 text and title lengths and their lexemes' document frequencies.
   */
  private async copyChunks(
    client: pg.PoolClient,
    update: IndexUpdate,
    keyOf: Map<string, number>,
  ): Promise<{ lens: { text: number; title: number }; counts: Map<string, [number, number, number]> }> {
    const lens = { text: 0, title: 0 };
    const counts = new Map<string, [number, number, number]>();
    const d = update.dimensions;
    const total = update.upserts.reduce((n, u) => n + u.chunks.length, 0);
    const half = Math.floor(total / 2);
    const stream = client.query(
      copyFrom(`COPY ${this.t('chunks')} (${CHUNK_COPY_COLUMNS}) FROM STDIN (FORMAT binary)`),
    );
    let sent = 0;
    // Batches of rows per write() call keep the per-row overhead of the stream small.
    async function* rows() {
      yield COPY_HEADER;
      let batch: Buffer[] = [];
      for (const u of update.upserts) {
        const articleKey = keyOf.get(u.record.id) as number;
        const title = u.record.meta.title ?? '';
        const titleLen = indexAnalyzer.fieldLength(title);
        const titleTerms = fieldTerms(title);
        for (let i = 0; i < u.chunks.length; i++) {
          const c = u.chunks[i];
          if (!c) continue;
          const textLen = indexAnalyzer.fieldLength(c.text);
          const textTerms = fieldTerms(c.text);
          const lexemes = chunkLexemes(textTerms, titleTerms);
          for (const l of lexemes) {
            let n = counts.get(l.term);
            if (!n) {
              n = [0, 0, 0];
              counts.set(l.term, n);
            }
            if (l.title) n[1]++;
            else n[0]++;
            // A term of both fields counts once in `any`: at its text lexeme, or at its title one when the text lacks it.
            if (!l.title || !textTerms.has(l.term)) n[2]++;
          }
          lens.text += textLen;
          lens.title += titleLen;
          batch.push(
            encodeChunkRow({
              articleKey,
              ordinal: c.ordinal,
              start: c.start,
              end: c.end,
              tokens: c.tokens,
              textLen,
              titleLen,
              title,
              text: c.text,
              vector: u.vectors.subarray(i * d, (i + 1) * d),
              tsv: tsvectorBinary(lexemes),
            }),
          );
          sent++;
          if (batch.length >= 256) {
            yield Buffer.concat(batch);
            batch = [];
          }
          if (sent === half && half > 0) {
            if (batch.length > 0) yield Buffer.concat(batch);
            batch = [];
            await killPoint('mid-transaction');
          }
        }
      }
      if (batch.length > 0) yield Buffer.concat(batch);
      yield COPY_TRAILER;
    }
    await pipeline(rows, stream as Writable);
    return { lens, counts };
  }

  private async hasHnsw(client: pg.ClientBase): Promise<boolean> {
    const r = await client.query('SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [
      this.where.schema,
      HNSW_INDEX,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  private async createHnsw(client: pg.ClientBase): Promise<void> {
    // The build is fast only while the graph fits in maintenance_work_mem; LOCAL: this transaction only.
    await client.query(`SELECT set_config('maintenance_work_mem', $1, true)`, [this.buildMemory]);
    await client.query(
      `CREATE INDEX "${HNSW_INDEX}" ON ${this.t('chunks')} USING hnsw (embedding vector_cosine_ops) WITH (m = ${this.hnsw.m}, ef_construction = ${this.hnsw.efConstruction})`,
    );
  }

  /**
   * Builds the HNSW index now if missing (the benchmark loads first and builds after, as a
   * bulk load should), under the writer lock. Returns false when it already existed.
   * @throws INDEX_LOCKED.
   */
  async buildHnsw(): Promise<boolean> {
    await this.ensureSchema();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [
        LOCK_CLASS,
        writerLockName(this.where.schema),
      ]);
      if (!lock.rows[0]?.ok) throw newsragError('INDEX_LOCKED', { index: this.location });
      if (await this.hasHnsw(client)) {
        await client.query('ROLLBACK');
        return false;
      }
      await this.createHnsw(client);
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * The tables are the engine's, the meta row is sound, counts agree with meta, chunk counts
   * per article, offsets, BM25 length sums, vector dimensions. Each problem names its table.
   */
  async check(): Promise<ConsistencyReport> {
    await this.ensureSchema();
    const foreign = await this.withClient((client) => foreignTables(client, this.where.schema));
    if (foreign.length > 0) {
      // Nothing else can be read from tables that are not the engine's.
      return { ok: false, problems: foreign.map(describeProblem), articleCount: 0, chunkCount: 0 };
    }
    const problems: string[] = [];
    const [articles, chunks, metaTable] = [this.t('articles'), this.t('chunks'), this.t('meta')];
    const meta = (await this.pool.query<MetaRow>(`SELECT * FROM ${metaTable}`)).rows[0];
    const counts = (
      await this.pool.query<{ articles: string; chunks: string }>(
        `SELECT (SELECT count(*) FROM ${articles}) AS articles, (SELECT count(*) FROM ${chunks}) AS chunks`,
      )
    ).rows[0] as { articles: string; chunks: string };
    const articleCount = Number(counts.articles);
    const chunkCount = Number(counts.chunks);
    if (meta) {
      const problem = metaProblem(meta);
      if (problem) problems.push(describeProblem({ table: metaTable, problem }));
      if (Number(meta.article_count) !== articleCount)
        problems.push(`${articles}: holds ${articleCount} articles, meta says ${meta.article_count}`);
      if (Number(meta.chunk_count) !== chunkCount)
        problems.push(`${chunks}: holds ${chunkCount} chunks, meta says ${meta.chunk_count}`);
    } else if (articleCount > 0) {
      problems.push(`${metaTable}: no meta row but ${articleCount} articles`);
    }
    const bad = await this.pool.query<{ id: string; stated: number; held: string }>(
      `SELECT a.id, a.chunk_count AS stated, count(c.key) AS held FROM ${articles} a
       LEFT JOIN ${chunks} c ON c.article_key = a.key GROUP BY a.key HAVING a.chunk_count <> count(c.key) LIMIT 10`,
    );
    for (const r of bad.rows) problems.push(`${chunks}: article ${r.id} states ${r.stated} chunks, holds ${r.held}`);
    const offsets = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${chunks} WHERE start_offset < 0 OR end_offset < start_offset`,
    );
    if (Number(offsets.rows[0]?.n) > 0) problems.push(`${chunks}: ${offsets.rows[0]?.n} chunks with bad offsets`);
    if (meta) {
      const sums = await this.pool.query<{ text: string; title: string }>(
        `SELECT coalesce(sum(text_len), 0) AS text, coalesce(sum(title_len), 0) AS title FROM ${chunks}`,
      );
      const held = sums.rows[0] as { text: string; title: string };
      if (Number(held.text) !== Number(meta.text_len_sum) || Number(held.title) !== Number(meta.title_len_sum)) {
        problems.push(
          `${metaTable}: its BM25 length sums (text ${meta.text_len_sum}, title ${meta.title_len_sum}) differ from the chunks' (${held.text}, ${held.title})`,
        );
      }
      problems.push(...(await this.checkLexemes()));
      const dims = await this.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${chunks} WHERE vector_dims(embedding) <> $1`,
        [meta.dimensions],
      );
      if (Number(dims.rows[0]?.n) > 0)
        problems.push(`${chunks}: ${dims.rows[0]?.n} vectors not of ${meta.dimensions} dimensions`);
    }
    return { ok: problems.length === 0, problems, articleCount, chunkCount };
  }

  /**
   * The lexical side: every chunk's tsvector is what the analyser makes of its text and title
   * now (recomputed here in batches, so a changed analyser or a row written behind the
   * engine's back shows), and `terms` holds exactly the document frequencies of the tsvectors.
   */
  private async checkLexemes(): Promise<string[]> {
    const problems: string[] = [];
    const [chunks, terms] = [this.t('chunks'), this.t('terms')];
    let stale = 0;
    const examples: string[] = [];
    let after = 0;
    for (;;) {
      const r = await this.pool.query<{ key: string; title: string; text: string }>(
        `SELECT key, title, text FROM ${chunks} WHERE key > $1 ORDER BY key LIMIT 2000`,
        [after],
      );
      if (r.rows.length === 0) break;
      const tsv = tsvectorLiterals(r.rows);
      const bad = await this.pool.query<{ key: string }>(
        `SELECT c.key FROM ${chunks} c JOIN unnest($1::bigint[], $2::tsvector[]) AS x(key, tsv) ON c.key = x.key
         WHERE c.tsv IS DISTINCT FROM x.tsv ORDER BY c.key`,
        [r.rows.map((row) => row.key), tsv],
      );
      stale += bad.rows.length;
      examples.push(...bad.rows.slice(0, 5 - examples.length).map((row) => row.key));
      after = Number(r.rows[r.rows.length - 1]?.key);
    }
    if (stale > 0)
      problems.push(
        `${chunks}: ${stale} tsvectors differ from the analysis of their text and title (keys ${examples.join(', ')}…)`,
      );
    const diff = await this.pool.query<{ n: string; example: string | null }>(
      `WITH held AS (SELECT term, text_df, title_df, any_df FROM ${terms}),
            counted (term, text_df, title_df, any_df) AS (${termCountsSql(chunks)}),
            d AS ((SELECT * FROM held EXCEPT SELECT * FROM counted) UNION ALL (SELECT * FROM counted EXCEPT SELECT * FROM held))
       SELECT count(*) AS n, min(term) AS example FROM d`,
    );
    const n = Number(diff.rows[0]?.n ?? 0);
    if (n > 0)
      problems.push(
        `${terms}: ${n} rows differ from the document frequencies of the chunks' tsvectors (e.g. '${diff.rows[0]?.example}')`,
      );
    return problems;
  }

  private async withClient<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await run(client);
    } finally {
      client.release();
    }
  }

  /** Bytes of the index's tables and their indexes (TOAST included). */
  async sizeOnDisk(): Promise<number> {
    await this.ensureSchema();
    const r = await this.pool.query<{ bytes: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [this.where.schema],
    );
    return Number(r.rows[0]?.bytes ?? 0);
  }

  /** Ends the pool (open snapshots must be closed first). */
  async close(): Promise<void> {
    await this.pool.end();
  }
}
