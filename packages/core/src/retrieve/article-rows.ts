import type { IndexReader } from '../store/contract.js';

// One table per reader generation: a reader is immutable, so the table never goes stale.
const tables = new WeakMap<IndexReader, ReadonlyMap<string, readonly number[]>>();

/**
 * The index rows of each article's chunks, built once per reader by one pass over its chunks
 * (10,889 chunks: ~2 ms), so article-level evidence can look at every passage of an article
 * that one of its passages put among the candidates.
 */
export function articleRows(reader: IndexReader): ReadonlyMap<string, readonly number[]> {
  if (reader.articleRows) return reader.articleRows();
  let table = tables.get(reader);
  if (!table) {
    const rows = new Map<string, number[]>();
    for (let row = 0; row < reader.chunkCount; row++) {
      const id = reader.chunk(row).articleId;
      const list = rows.get(id);
      if (list) list.push(row);
      else rows.set(id, [row]);
    }
    table = rows;
    tables.set(reader, table);
  }
  return table;
}
