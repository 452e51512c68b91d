import type Database from 'better-sqlite3';
import type { ArticleRecord } from '../../types.js';
import { QuantizedMatrix } from '../dense/index.js';
import { corrupt } from '../errors.js';
import { articleFromRow, readManifest, readMeta } from './load.js';
import { vectorLayout } from './quantized.js';
import { tableNames } from './schema.js';
import type { SnapshotData, SqliteIndexReader } from './sqlite-reader.js';

interface Fresh {
  record: ArticleRecord;
  codes: Buffer;
  lengths: Buffer;
}

/** One article of the new snapshot: kept from the previous one (its index there) or read now. */
type Entry = { seq: number; kept: number } | { seq: number; fresh: Fresh };

/**
 * The snapshot data of the state `db`'s read transaction sees, made from `previous` plus the
 * articles the `changes` log names since `previous`'s generation: those are read (records,
 * int8 vectors, field lengths), the rest are copied from `previous` without touching SQLite.
 * Null when the log cannot describe the way from `previous` to now: a rebuild or a schema
 * upgrade since (`meta.logStart` after `previous`), or a schema-1 snapshot.
 */
export function refreshSnapshot(
  db: Database.Database,
  file: string,
  location: string,
  previous: SqliteIndexReader,
): SnapshotData | null {
  const prev = previous.snapshot();
  const meta = readMeta(db);
  const logStart = Number(meta.get('logStart'));
  const from = prev.manifest.generation;
  if (
    prev.layout !== 'tables' ||
    vectorLayout(tableNames(db)) !== 'tables' ||
    !Number.isInteger(logStart) ||
    from < logStart ||
    from > Number(meta.get('generation'))
  ) {
    return null;
  }
  const d = prev.manifest.dimensions;
  const changed = db
    .prepare('SELECT DISTINCT seq FROM changes WHERE generation > ? ORDER BY seq')
    .pluck()
    .all(from) as number[];
  const articleStmt = db.prepare(
    'SELECT seq, id, path, hash, meta, length, chunk_count, signature, field_lengths FROM articles WHERE seq = ?',
  );
  const codesStmt = db.prepare('SELECT codes FROM quantized WHERE seq = ?').pluck();
  const fresh = new Map<number, Fresh>();
  for (const seq of changed) {
    const row = articleStmt.get(seq) as (Parameters<typeof articleFromRow>[0] & { field_lengths: Buffer }) | undefined;
    if (!row) continue; // removed
    const codes = codesStmt.get(seq) as Buffer | undefined;
    const record = articleFromRow(row, file, location);
    if (!codes) throw corrupt(file, `article ${record.id} has no quantised vectors`, location);
    fresh.set(seq, { record, codes, lengths: row.field_lengths });
  }

  // Merge by seq: the previous snapshot's articles minus the changed ones, plus the changed ones still present.
  const changedSet = new Set(changed);
  const freshSeqs = [...fresh.keys()];
  const entries: Entry[] = [];
  let j = 0;
  for (let i = 0; i < prev.seqs.length; i++) {
    const seq = prev.seqs[i] as number;
    while (j < freshSeqs.length && (freshSeqs[j] as number) < seq) {
      const s = freshSeqs[j++] as number;
      entries.push({ seq: s, fresh: fresh.get(s) as Fresh });
    }
    if (!changedSet.has(seq)) entries.push({ seq, kept: i });
  }
  for (; j < freshSeqs.length; j++) {
    const s = freshSeqs[j] as number;
    entries.push({ seq: s, fresh: fresh.get(s) as Fresh });
  }

  const prevFirst = new Int32Array(prev.articles.length);
  for (let i = 0, row = 0; i < prev.articles.length; i++) {
    prevFirst[i] = row;
    row += (prev.articles[i] as ArticleRecord).chunkCount;
  }
  const articles = entries.map((e) => ('kept' in e ? (prev.articles[e.kept] as ArticleRecord) : e.fresh.record));
  const rows = articles.reduce((n, a) => n + a.chunkCount, 0);
  const quantized = QuantizedMatrix.allocate(rows, d);
  const fieldLengths = new Uint32Array(rows * 2);
  let row = 0;
  // Runs of kept articles are contiguous in the previous snapshot too: one copy per run.
  let runFrom = -1;
  let runTo = 0;
  let runRows = 0;
  const flush = () => {
    if (runRows === 0) return;
    quantized.copyRows(prev.quantized, runFrom, runRows, runTo);
    fieldLengths.set(prev.fieldLengths.subarray(runFrom * 2, (runFrom + runRows) * 2), runTo * 2);
    runRows = 0;
  };
  for (const e of entries) {
    if ('kept' in e) {
      const first = prevFirst[e.kept] as number;
      const count = (prev.articles[e.kept] as ArticleRecord).chunkCount;
      if (runRows > 0 && runFrom + runRows === first) runRows += count;
      else {
        flush();
        runFrom = first;
        runTo = row;
        runRows = count;
      }
      row += count;
      continue;
    }
    flush();
    const { record, codes, lengths } = e.fresh;
    if (!quantized.setRows(row, record.chunkCount, codes)) {
      throw corrupt(
        file,
        `article ${record.id}: its quantised vectors hold ${codes.length} bytes, expected ${record.chunkCount} chunks × (4 + ${d})`,
        location,
      );
    }
    if (lengths.length !== record.chunkCount * 8) {
      throw corrupt(file, `article ${record.id}: its field lengths hold ${lengths.length} bytes`, location);
    }
    const view = new DataView(lengths.buffer, lengths.byteOffset, lengths.byteLength);
    for (let k = 0; k < record.chunkCount * 2; k++) fieldLengths[row * 2 + k] = view.getUint32(k * 4, true);
    row += record.chunkCount;
  }
  flush();
  const manifest = readManifest(db, file, location, articles.length, rows);
  return {
    manifest,
    articles,
    seqs: entries.map((e) => e.seq),
    quantized,
    fieldLengths,
    layout: 'tables',
    logStart,
  };
}
