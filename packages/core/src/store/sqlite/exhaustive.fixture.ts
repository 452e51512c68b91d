import Database from 'better-sqlite3';
import { indexAnalyzer } from '../../text/analyzers.js';
import type { SearchFilter } from '../../types.js';
import { RowBm25Scorer } from '../bm25-rows.js';
import { allowedArticles } from '../filter.js';
import { LexicalSnapshot } from './lexical.js';
import type { SqliteIndexReader } from './sqlite-reader.js';

/** The exhaustive reference of one snapshot (see {@link exhaustive}). */
export interface ExhaustiveLexical {
  search(query: string, k: number, filter?: SearchFilter): { row: number; score: number }[];
  /** Chunks holding the term in either field, from the decoded postings. */
  documentFrequency(term: string): number;
  close(): void;
}

/**
 * The exhaustive ranking of the same snapshot: every query term's postings decoded from the
 * file (a connection of its own, nothing is written meanwhile) and scored by RowBm25Scorer,
 * the scorer the engine used before MaxScore. Test fixture: nothing in the engine imports it.
 */
export function exhaustive(reader: SqliteIndexReader, file: string): ExhaustiveLexical {
  const articles = reader.articles();
  const firstRow = new Int32Array(articles.length);
  const rowCount = new Int32Array(articles.length);
  const rowArticle = new Int32Array(reader.chunkCount);
  let rows = 0;
  articles.forEach((a, i) => {
    firstRow[i] = rows;
    rowCount[i] = a.chunkCount;
    rowArticle.fill(i, rows, rows + a.chunkCount);
    rows += a.chunkCount;
  });
  const db = new Database(file, { readonly: true });
  const lexical = new LexicalSnapshot(db, { seqs: reader.articleSeqs(), firstRow, rowCount, rowArticle });
  const lengths = reader.snapshot().fieldLengths;
  let text = 0;
  let title = 0;
  for (let r = 0; r < rows; r++) {
    text += lengths[r * 2] as number;
    title += lengths[r * 2 + 1] as number;
  }
  const scorer = new RowBm25Scorer(rows, lengths, [text / rows, title / rows]);
  return {
    search(query: string, k: number, filter?: SearchFilter) {
      const allowed = allowedArticles(articles, filter);
      const accept = allowed === null ? null : (row: number) => allowed[rowArticle[row] as number] === 1;
      return scorer
        .search(indexAnalyzer.terms(query), (t) => lexical.postings(t), k, accept)
        .map(({ doc, score }) => ({ row: doc, score }));
    },
    /** Chunks holding the term in either field, from the decoded postings. */
    documentFrequency(term: string): number {
      const p = lexical.postings(term);
      if (!p) return 0;
      const rowsOf = new Set([...p[0].docs.subarray(0, p[0].size), ...p[1].docs.subarray(0, p[1].size)]);
      return rowsOf.size;
    },
    close: () => {
      db.close();
    },
  };
}
