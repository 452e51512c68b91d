/**
 * The SQLite engine's lexical index over its own postings (see postings.ts for the BLOB):
 * `postings` holds segments, one row per (term, writing transaction) until merged;
 * `lexical_docs` holds, per live article seq, the generation its postings were written in
 * and its chunk count. An entry of a segment written in generation g for seq s is live
 * iff s is in `lexical_docs` with generation ≤ g: a removal deletes one `lexical_docs` row
 * and a replacement (same seq, new generation) outdates the old entries, so neither
 * touches a posting. Dead entries are dropped when their segments merge, and all at once
 * (compaction) when dead chunks pass a quarter of the live ones.
 */
import type Database from 'better-sqlite3';
import { indexAnalyzer } from '../../text/analyzers.js';
import { ArrayCursor, type TermSource } from '../bm25-maxscore.js';
import { RowPostings } from '../bm25-rows.js';
import {
  decodeSegment,
  encodeSegment,
  MAX_SEGMENTS,
  pickMerge,
  type SegmentEntries,
  SKIP_BLOCK,
  segmentSkips,
  sortEntries,
} from './postings.js';
import { ORDINAL_BITS, TERM_STATS_SQL } from './schema.js';
import { SkipCursor } from './skip-cursor.js';
import { countTerm, TermStatsDelta } from './term-stats.js';

/** `meta` key: chunks whose postings are dead (removed or replaced) but not yet dropped by a merge. */
export const DEAD_CHUNKS_KEY = 'lexicalDeadChunks';

/** Terms per maintenance transaction, so a merge or compaction never holds the write lock for long. */
const TERMS_PER_TRANSACTION = 2_000;

/** Collects the postings of the articles one transaction writes; {@link flush} writes one segment per term. */
export class PostingsBuilder {
  private readonly byTerm = new Map<string, SegmentEntries>();

  /** Adds an article's chunks (ordinal = index) and title under `seq`. */
  add(seq: number, chunks: readonly { text: string }[], title: string): void {
    chunks.forEach((c, ordinal) => {
      for (const [term, tf] of counts(c.text)) this.entry(term).text.push(seq, ordinal, tf);
    });
    if (chunks.length === 0) return;
    for (const [term, tf] of counts(title)) this.entry(term).title.push(seq, tf);
  }

  get size(): number {
    return this.byTerm.size;
  }

  /** Writes one segment per term, tagged `generation`; returns the terms written. */
  flush(db: Database.Database, generation: number): string[] {
    const insert = insertSegment(db);
    const written = [...this.byTerm.keys()];
    for (const [term, entries] of this.byTerm) insert(term, generation, encodeSegment(sortEntries(entries)));
    this.byTerm.clear();
    return written;
  }

  private entry(term: string): SegmentEntries {
    let e = this.byTerm.get(term);
    if (!e) {
      e = { text: [], title: [] };
      this.byTerm.set(term, e);
    }
    return e;
  }
}

/** Inserts a segment with its skip data (postings.ts `segmentSkips`). */
function insertSegment(db: Database.Database): (term: string, generation: number, data: Buffer) => void {
  const stmt = db.prepare('INSERT INTO postings (term, generation, data, skips) VALUES (?, ?, ?, ?)');
  return (term, generation, data) => {
    stmt.run(term, generation, data, segmentSkips(data));
  };
}

/** Term frequencies of a field's text, in first-occurrence order. */
function counts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of indexAnalyzer.terms(text)) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

/** Which (seq, generation) pairs are live, read lazily from `lexical_docs` (or all at once for a full pass). */
class Liveness {
  private readonly known = new Map<number, number>();
  private readonly stmt: Database.Statement;
  private complete = false;

  constructor(private readonly db: Database.Database) {
    this.stmt = db.prepare('SELECT generation FROM lexical_docs WHERE seq = ?').pluck();
  }

  loadAll(): void {
    for (const [seq, gen] of this.db
      .prepare('SELECT seq, generation FROM lexical_docs')
      .raw()
      .iterate() as IterableIterator<[number, number]>)
      this.known.set(seq, gen);
    this.complete = true;
  }

  /** Whether an entry for `seq` in a segment of `generation` is live. */
  live(seq: number, generation: number): boolean {
    let gen = this.known.get(seq);
    if (gen === undefined) {
      if (this.complete) return false;
      gen = (this.stmt.get(seq) as number | undefined) ?? Number.POSITIVE_INFINITY;
      this.known.set(seq, gen);
    }
    return gen <= generation;
  }
}

/**
 * After a commit: merges the segments of the `touched` terms that have more than
 * {@link MAX_SEGMENTS}, or compacts every term when dead chunks pass a quarter of the live
 * ones. Each batch of terms is its own short write transaction (WAL: readers keep their
 * snapshot), so a crash at any point leaves a consistent index; another writer taking the
 * lock in between just leaves the work to the next write. Returns false if it gave way.
 */
export function maintainPostings(db: Database.Database, touched: readonly string[]): boolean {
  const dead = Number(
    (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(DEAD_CHUNKS_KEY) as string | undefined) ?? 0,
  );
  const liveChunks = (db.prepare('SELECT coalesce(sum(chunks), 0) FROM lexical_docs').pluck().get() as number) ?? 0;
  if (dead > 0 && dead * 4 > liveChunks) return compactPostings(db);
  const countOf = db.prepare('SELECT count(*) FROM postings WHERE term = ?').pluck();
  const due = touched.filter((t) => (countOf.get(t) as number) > MAX_SEGMENTS);
  for (let i = 0; i < due.length; i += TERMS_PER_TRANSACTION) {
    if (!inWriteTransaction(db, () => mergeTerms(db, due.slice(i, i + TERMS_PER_TRANSACTION), false))) return false;
  }
  return true;
}

/** Rewrites every term's postings as one segment of live entries, then clears the dead count. */
export function compactPostings(db: Database.Database): boolean {
  const all = db.prepare('SELECT DISTINCT term FROM postings').pluck().all() as string[];
  for (let i = 0; i < all.length; i += TERMS_PER_TRANSACTION) {
    if (!inWriteTransaction(db, () => mergeTerms(db, all.slice(i, i + TERMS_PER_TRANSACTION), true))) return false;
  }
  return inWriteTransaction(db, () => {
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      DEAD_CHUNKS_KEY,
      '0',
    );
  });
}

function mergeTerms(db: Database.Database, termList: readonly string[], everything: boolean): void {
  const live = new Liveness(db);
  if (everything) live.loadAll();
  const segmentsOf = db.prepare('SELECT id, generation, length(data) AS size FROM postings WHERE term = ? ORDER BY id');
  const dataOf = db.prepare('SELECT data FROM postings WHERE id = ?').pluck();
  const insert = insertSegment(db);
  const del = db.prepare('DELETE FROM postings WHERE id = ?');
  for (const term of termList) {
    const segments = segmentsOf.all(term) as { id: number; generation: number; size: number }[];
    const chosen = everything ? segments.map((_, i) => i) : pickMerge(segments.map((s) => s.size));
    if (chosen.length === 0 || (everything && segments.length === 0)) continue;
    const merged: SegmentEntries = { text: [], title: [] };
    let generation = 0;
    for (const i of chosen) {
      const s = segments[i] as { id: number; generation: number };
      generation = Math.max(generation, s.generation);
      const e = decodeSegment(dataOf.get(s.id) as Buffer);
      for (let j = 0; j < e.text.length; j += 3) {
        if (live.live(e.text[j] as number, s.generation))
          merged.text.push(e.text[j] as number, e.text[j + 1] as number, e.text[j + 2] as number);
      }
      for (let j = 0; j < e.title.length; j += 2) {
        if (live.live(e.title[j] as number, s.generation))
          merged.title.push(e.title[j] as number, e.title[j + 1] as number);
      }
      del.run(s.id);
    }
    if (merged.text.length + merged.title.length > 0) insert(term, generation, encodeSegment(sortEntries(merged)));
  }
}

/** Runs `body` in a `BEGIN IMMEDIATE` transaction; false (nothing done) if another writer holds the lock. */
function inWriteTransaction(db: Database.Database, body: () => void): boolean {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return false;
    throw error;
  }
  try {
    body();
    db.exec('COMMIT');
    return true;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/**
 * Builds the postings of a schema-1 index (FTS5) from its stored chunk texts and titles,
 * inside the caller's write transaction, then drops the FTS5 tables. Nothing is re-embedded.
 * Articles are read in seq order and written in batches (one segment per term per batch of
 * {@link UPGRADE_BATCH_CHUNKS}), so memory stays bounded at any size; `generation` is the
 * index's current one.
 */
export function buildPostingsFromChunks(db: Database.Database, generation: number): void {
  const articles = db.prepare('SELECT seq, meta, chunk_count FROM articles ORDER BY seq').raw().all() as [
    number,
    string,
    number,
  ][];
  const insertDoc = db.prepare('INSERT INTO lexical_docs (seq, generation, chunks) VALUES (?, ?, ?)');
  const chunkTexts = db.prepare('SELECT text FROM chunks WHERE rowid >= ? AND rowid < ? ORDER BY rowid').pluck();
  const builder = new PostingsBuilder();
  const stats = new TermStatsDelta();
  let pending = 0;
  for (const [seq, meta, chunkCount] of articles) {
    insertDoc.run(seq, generation, chunkCount);
    const texts = chunkTexts.all(seq * ORDINAL_BITS, seq * ORDINAL_BITS + chunkCount) as string[];
    const title = (JSON.parse(meta) as { title?: string }).title ?? '';
    builder.add(
      seq,
      texts.map((text) => ({ text })),
      title,
    );
    stats.article(texts, title, 1);
    pending += chunkCount;
    // Big batches: at 1M chunks this leaves 7 segments per term, under the merge threshold.
    if (pending >= UPGRADE_BATCH_CHUNKS) {
      builder.flush(db, generation);
      pending = 0;
    }
  }
  builder.flush(db, generation);
  stats.apply(db);
}

/**
 * Schema 2 → 3 inside the caller's write transaction: adds each big segment's skip data and
 * the per-term document frequencies (`term_stats`), both computed from the stored postings
 * (live entries only), so nothing else is rewritten.
 */
export function addSkipsAndTermStats(db: Database.Database): void {
  db.exec(`ALTER TABLE postings ADD COLUMN skips BLOB; ${TERM_STATS_SQL}`);
  const live = new Liveness(db);
  live.loadAll();
  const chunks = new Map<number, number>();
  for (const [seq, n] of db.prepare('SELECT seq, chunks FROM lexical_docs').raw().iterate() as IterableIterator<
    [number, number]
  >)
    chunks.set(seq, n);
  // better-sqlite3 runs no other statement while one iterates: the writes wait for the pass's end.
  const skips: [number, Buffer][] = [];
  const stats: [string, number, number, number][] = [];
  let term: string | null = null;
  let textSeqs: number[] = [];
  let titleSeqs: number[] = [];
  const flushTerm = () => {
    if (term !== null && textSeqs.length + titleSeqs.length > 0)
      stats.push([term, ...countTerm(textSeqs, titleSeqs, (s) => chunks.get(s) ?? 0)]);
    textSeqs = [];
    titleSeqs = [];
  };
  for (const [id, t, generation, data] of db
    .prepare('SELECT id, term, generation, data FROM postings ORDER BY term, id')
    .raw()
    .iterate() as IterableIterator<[number, string, number, Buffer]>) {
    if (t !== term) {
      flushTerm();
      term = t;
    }
    const e = decodeSegment(data);
    for (let j = 0; j < e.text.length; j += 3)
      if (live.live(e.text[j] as number, generation)) textSeqs.push(e.text[j] as number);
    for (let j = 0; j < e.title.length; j += 2)
      if (live.live(e.title[j] as number, generation)) titleSeqs.push(e.title[j] as number);
    const skip = e.text.length / 3 > SKIP_BLOCK ? segmentSkips(data) : null;
    if (skip) skips.push([id, skip]);
  }
  flushTerm();
  const setSkips = db.prepare('UPDATE postings SET skips = ? WHERE id = ?');
  for (const [id, skip] of skips) setSkips.run(skip, id);
  const insertStats = db.prepare('INSERT INTO term_stats (term, text_rows, title_rows, both_rows) VALUES (?, ?, ?, ?)');
  for (const row of stats) insertStats.run(...row);
}

/** Chunks per postings segment when a schema-1 index is upgraded. */
const UPGRADE_BATCH_CHUNKS = 150_000;

/** A snapshot's row layout, for turning postings into rows. */
export interface RowLayout {
  /** Article seqs, ascending (the snapshot's article order). */
  seqs: readonly number[];
  firstRow: Int32Array;
  rowCount: Int32Array;
  /** Per row: its article index. */
  rowArticle: Int32Array;
}

/** A growable Int32Array. */
class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * The lexical side of one snapshot: reads a term's segments through the snapshot's own
 * connection (its read transaction) and decodes them straight into typed arrays of rows and
 * term frequencies, skipping dead entries. Rows are given in ascending order, as the folder
 * store's MiniSearch index gives them (BM25 ties keep that order).
 */
export class LexicalSnapshot {
  private readonly stmt: Database.Statement;
  private readonly segmentsStmt: Database.Statement;
  private readonly statsStmt: Database.Statement;
  /** seq → article index, -1 for none. */
  private readonly indexOfSeq: Int32Array;
  /** Per article index: the generation of its postings (entries of older segments are dead). */
  private readonly writtenAt: Float64Array;

  constructor(
    db: Database.Database,
    private readonly layout: RowLayout,
  ) {
    this.stmt = db.prepare('SELECT generation, data FROM postings WHERE term = ?').raw();
    this.segmentsStmt = db.prepare('SELECT generation, data, skips FROM postings WHERE term = ?').raw();
    this.statsStmt = db.prepare('SELECT text_rows, title_rows, both_rows FROM term_stats WHERE term = ?').raw();
    const maxSeq = layout.seqs.length > 0 ? (layout.seqs[layout.seqs.length - 1] as number) : 0;
    this.indexOfSeq = new Int32Array(maxSeq + 1).fill(-1);
    layout.seqs.forEach((s, i) => {
      this.indexOfSeq[s] = i;
    });
    this.writtenAt = new Float64Array(layout.seqs.length).fill(Number.POSITIVE_INFINITY);
    for (const [seq, gen] of db.prepare('SELECT seq, generation FROM lexical_docs').raw().iterate() as IterableIterator<
      [number, number]
    >) {
      const i = seq < this.indexOfSeq.length ? (this.indexOfSeq[seq] as number) : -1;
      if (i !== -1) this.writtenAt[i] = gen;
    }
  }

  /** The live postings of `term` per field (text, title), or undefined when it has none. */
  postings(term: string): [RowPostings, RowPostings] | undefined {
    const segments = this.stmt.all(term) as [number, Buffer][];
    if (segments.length === 0) return undefined;
    const { firstRow, rowCount } = this.layout;
    const { indexOfSeq, writtenAt } = this;
    const seqLimit = indexOfSeq.length;
    let capacity = 0;
    for (const [, data] of segments) capacity += data.length / 3;
    const textRows = new IntBuffer(capacity);
    const textTfs = new IntBuffer(capacity);
    const titleRows = new IntBuffer(64);
    const titleTfs = new IntBuffer(64);
    let textSorted = true;
    let titleSorted = true;
    for (const [generation, buf] of segments) {
      let pos = 0;
      // Inlined LEB128 (see ByteReader): this loop runs once per posting of every query term.
      const next = (): number => {
        let b = buf[pos++] as number;
        if (b < 0x80) return b;
        let value = b & 0x7f;
        let scale = 0x80;
        do {
          b = buf[pos++] as number;
          value += (b & 0x7f) * scale;
          scale *= 0x80;
        } while (b >= 0x80);
        return value;
      };
      const textCount = next();
      const titleCount = next();
      let seq = 0;
      for (let i = 0; i < textCount; i++) {
        seq += next();
        const ordinal = next();
        const tf = next();
        const a = seq < seqLimit ? (indexOfSeq[seq] as number) : -1;
        if (a === -1 || (writtenAt[a] as number) > generation || ordinal >= (rowCount[a] as number)) continue;
        const row = (firstRow[a] as number) + ordinal;
        if (textRows.length > 0 && row <= (textRows.data[textRows.length - 1] as number)) textSorted = false;
        textRows.push(row);
        textTfs.push(tf);
      }
      seq = 0;
      for (let i = 0; i < titleCount; i++) {
        seq += next();
        const tf = next();
        const a = seq < seqLimit ? (indexOfSeq[seq] as number) : -1;
        if (a === -1 || (writtenAt[a] as number) > generation) continue;
        const first = firstRow[a] as number;
        if (titleRows.length > 0 && first <= (titleRows.data[titleRows.length - 1] as number)) titleSorted = false;
        for (let r = first, end = first + (rowCount[a] as number); r < end; r++) {
          titleRows.push(r);
          titleTfs.push(tf);
        }
      }
      if (pos !== buf.length) throw new RangeError(`postings segment of "${term}" is malformed`);
    }
    if (textRows.length + titleRows.length === 0) return undefined;
    return [toPostings(textRows, textTfs, textSorted), toPostings(titleRows, titleTfs, titleSorted)];
  }

  /**
   * The term's document frequencies (`term_stats`, no posting decoded) and cursors over its
   * live postings for the MaxScore search (bm25-maxscore.ts): decoded once when the term is
   * essential (its rows are enumerated), read through its skip data for lookups otherwise.
   * Undefined when no live chunk holds it.
   */
  source(term: string): TermSource | undefined {
    const stats = this.statsStmt.get(term) as [number, number, number] | undefined;
    if (!stats || stats[0] + stats[1] === 0) return undefined;
    let decoded: [RowPostings, RowPostings] | undefined;
    const layout = { ...this.layout, writtenAt: this.writtenAt };
    return {
      textRows: stats[0],
      titleRows: stats[1],
      cursor: (iterate) => {
        if (iterate) {
          decoded ??= this.postings(term) ?? [EMPTY, EMPTY];
          return new ArrayCursor(decoded[0], decoded[1]);
        }
        return new SkipCursor(this.segmentsStmt.all(term) as [number, Buffer, Buffer | null][], layout);
      },
    };
  }

  /** Chunks holding `term` in their text or title (BM25's "any field" document frequency), from `term_stats`. */
  documentFrequency(term: string): number {
    const stats = this.statsStmt.get(term) as [number, number, number] | undefined;
    return stats ? stats[0] + stats[1] - stats[2] : 0;
  }
}

const EMPTY = new RowPostings(new Int32Array(0), new Int32Array(0), 0);

/** Rows with their frequencies, sorted by row (segments of replaced articles can come out of order). */
function toPostings(rows: IntBuffer, tfs: IntBuffer, sorted: boolean): RowPostings {
  const n = rows.length;
  if (sorted) return new RowPostings(rows.data, tfs.data, n);
  // Rows < 2^31 and frequencies < 2^21: one float64 key per posting sorts both at once.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (rows.data[i] as number) * 2 ** 21 + (tfs.data[i] as number);
  keys.sort();
  const r = new Int32Array(n);
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    r[i] = Math.floor(k / 2 ** 21);
    t[i] = k - (r[i] as number) * 2 ** 21;
  }
  return new RowPostings(r, t, n);
}

/** FNV-1a of a term, 32 bits: per-chunk sums of term hash × tf tell whether the postings hold the right terms. */
function termHash(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Verifies the postings against the stored chunks: every segment decodes, `lexical_docs`
 * names exactly the live articles with their chunk counts, and per live chunk (and per
 * article title) the live postings have as many entries, as many occurrences and the same
 * sum of term hash × frequency as its text has distinct terms, terms and term hashes. Typed
 * arrays per row, so it runs in bounded memory at 1M chunks. Returns problems (empty when sound).
 */
export function checkPostings(db: Database.Database, file: string): string[] {
  const problems: string[] = [];
  const say = (m: string) => {
    if (problems.length < 20) problems.push(`${file}: ${m}`);
  };
  const articles = db.prepare('SELECT seq, chunk_count, meta FROM articles ORDER BY seq').raw().all() as [
    number,
    number,
    string,
  ][];
  const indexOfSeq = new Map<number, number>();
  const firstRow = new Int32Array(articles.length);
  let rows = 0;
  articles.forEach(([seq, chunkCount], i) => {
    indexOfSeq.set(seq, i);
    firstRow[i] = rows;
    rows += chunkCount;
  });
  const writtenAt = new Float64Array(articles.length).fill(Number.POSITIVE_INFINITY);
  let docRows = 0;
  for (const [seq, generation, chunks] of db
    .prepare('SELECT seq, generation, chunks FROM lexical_docs')
    .raw()
    .iterate() as IterableIterator<[number, number, number]>) {
    docRows++;
    const i = indexOfSeq.get(seq);
    if (i === undefined) {
      say(`lexical_docs names article seq ${seq}, which the index does not hold`);
      continue;
    }
    writtenAt[i] = generation;
    const declared = (articles[i] as [number, number, string])[1];
    if (chunks !== declared)
      say(`lexical_docs says article seq ${seq} has ${chunks} chunks, the article has ${declared}`);
  }
  if (docRows !== articles.length) say(`lexical_docs has ${docRows} rows for ${articles.length} articles`);
  // Per row (text) and per article (title): live entries, summed tf, summed hash × tf.
  const got = { entries: new Int32Array(rows), tfs: new Int32Array(rows), hashes: new Uint32Array(rows) };
  const gotTitle = {
    entries: new Int32Array(articles.length),
    tfs: new Int32Array(articles.length),
    hashes: new Uint32Array(articles.length),
  };
  // Per term (segments come term by term): its live entries' seqs, against `term_stats`.
  const stats = new Map<string, [number, number, number]>();
  for (const [term, ...counts] of db
    .prepare('SELECT term, text_rows, title_rows, both_rows FROM term_stats')
    .raw()
    .iterate() as IterableIterator<[string, number, number, number]>)
    stats.set(term, counts);
  let statsTerm: string | null = null;
  let textSeqs: number[] = [];
  let titleSeqs: number[] = [];
  const chunksOf = (seq: number) => (articles[indexOfSeq.get(seq) as number] as [number, number, string])[1];
  const compareStats = () => {
    if (statsTerm !== null) {
      const want = countTerm(textSeqs, titleSeqs, chunksOf);
      const have = stats.get(statsTerm) ?? [0, 0, 0];
      if (have.some((v, i) => v !== want[i]))
        say(
          `term_stats of "${statsTerm}" say ${have.join('/')} (text/title/both rows), its live postings ${want.join('/')}`,
        );
    }
    if (statsTerm !== null) stats.delete(statsTerm);
    textSeqs = [];
    titleSeqs = [];
  };
  for (const [term, generation, data, skips] of db
    .prepare('SELECT term, generation, data, skips FROM postings ORDER BY term, id')
    .raw()
    .iterate() as IterableIterator<[string, number, Buffer, Buffer | null]>) {
    if (term !== statsTerm) {
      compareStats();
      statsTerm = term;
    }
    let e: SegmentEntries;
    try {
      e = decodeSegment(data);
    } catch (error) {
      say(`a postings segment of "${term}" is damaged: ${(error as Error).message}`);
      continue;
    }
    const wantSkips = segmentSkips(data);
    if (wantSkips === null ? skips !== null : skips === null || !wantSkips.equals(skips))
      say(`a postings segment of "${term}" has skip data that does not match its entries`);
    const h = termHash(term);
    const liveIndex = (seq: number): number => {
      const i = indexOfSeq.get(seq);
      return i !== undefined && (writtenAt[i] as number) <= generation ? i : -1;
    };
    for (let j = 0; j < e.text.length; j += 3) {
      const i = liveIndex(e.text[j] as number);
      if (i === -1) continue;
      const ordinal = e.text[j + 1] as number;
      const tf = e.text[j + 2] as number;
      if (ordinal >= (articles[i] as [number, number, string])[1]) {
        say(`"${term}" has a posting for chunk ${ordinal} of article seq ${e.text[j]}, which has fewer chunks`);
        continue;
      }
      const row = (firstRow[i] as number) + ordinal;
      textSeqs.push(e.text[j] as number);
      got.entries[row] = (got.entries[row] as number) + 1;
      got.tfs[row] = (got.tfs[row] as number) + tf;
      got.hashes[row] = ((got.hashes[row] as number) + Math.imul(h, tf)) >>> 0;
    }
    for (let j = 0; j < e.title.length; j += 2) {
      const i = liveIndex(e.title[j] as number);
      if (i === -1) continue;
      const tf = e.title[j + 1] as number;
      titleSeqs.push(e.title[j] as number);
      gotTitle.entries[i] = (gotTitle.entries[i] as number) + 1;
      gotTitle.tfs[i] = (gotTitle.tfs[i] as number) + tf;
      gotTitle.hashes[i] = ((gotTitle.hashes[i] as number) + Math.imul(h, tf)) >>> 0;
    }
  }
  compareStats();
  for (const [term, counts] of stats)
    if (counts[0] + counts[1] > 0)
      say(`term_stats name "${term}" (${counts.join('/')} rows), which no live posting holds`);
  const expect = (where: string, text: string, entries: number, tfs: number, hashes: number) => {
    let n = 0;
    let sum = 0;
    let hash = 0;
    for (const [term, tf] of counts(text)) {
      n++;
      sum += tf;
      hash = (hash + Math.imul(termHash(term), tf)) >>> 0;
    }
    if (n !== entries || sum !== tfs || hash !== hashes)
      say(
        `${where}: the postings hold ${entries} terms (${tfs} occurrences), its text has ${n} (${sum}) or other terms`,
      );
  };
  const chunkText = db.prepare('SELECT text FROM chunks WHERE rowid >= ? AND rowid < ? ORDER BY rowid').pluck();
  articles.forEach(([seq, chunkCount, meta], i) => {
    const texts = chunkText.all(seq * ORDINAL_BITS, seq * ORDINAL_BITS + chunkCount) as string[];
    texts.forEach((t, ordinal) => {
      const row = (firstRow[i] as number) + ordinal;
      expect(
        `chunk ${ordinal} of article seq ${seq}`,
        t,
        got.entries[row] as number,
        got.tfs[row] as number,
        got.hashes[row] as number,
      );
    });
    if (chunkCount === 0) return;
    const title = (JSON.parse(meta) as { title?: string }).title ?? '';
    expect(
      `title of article seq ${seq}`,
      title,
      gotTitle.entries[i] as number,
      gotTitle.tfs[i] as number,
      gotTitle.hashes[i] as number,
    );
  });
  return problems;
}
