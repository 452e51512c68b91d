/**
 * PostgreSQL's binary COPY format, for the chunk rows a write inserts. Binary rather than
 * text because a chunk is mostly its vector: 384 float32s are 1.5 KB in binary (pgvector's
 * `vector_recv` layout) against ~4.5 KB of decimal text that the server would then parse,
 * and the client formats nothing. Pure functions over Buffers.
 */

/** `PGCOPY\n\377\r\n\0`, then flags and header-extension length (both 0). */
export const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** A field count of -1 ends the data. */
export const COPY_TRAILER = Buffer.from([0xff, 0xff]);

/** One chunk row: `(article_key int8, ordinal, start, end, tokens, text_len, title_len int4, title text, text text, embedding vector, tsv tsvector)`. */
export interface ChunkRow {
  articleKey: number;
  ordinal: number;
  start: number;
  end: number;
  tokens: number;
  /** BM25 lengths of the text and the title. */
  textLen: number;
  titleLen: number;
  title: string;
  text: string;
  /** `dimensions` floats. */
  vector: Float32Array;
  /** The tsvector in its binary form (lexemes.ts `tsvectorBinary`). */
  tsv: Buffer;
}

export const CHUNK_COPY_COLUMNS =
  'article_key, ordinal, start_offset, end_offset, tokens, text_len, title_len, title, text, embedding, tsv';

/** The binary COPY tuple of a chunk row. */
export function encodeChunkRow(row: ChunkRow): Buffer {
  const title = Buffer.from(row.title, 'utf8');
  const text = Buffer.from(row.text, 'utf8');
  const d = row.vector.length;
  const vectorBytes = 4 + 4 * d;
  const size =
    2 + (4 + 8) + 6 * (4 + 4) + (4 + title.length) + (4 + text.length) + (4 + vectorBytes) + (4 + row.tsv.length);
  const b = Buffer.allocUnsafe(size);
  let o = b.writeInt16BE(11, 0);
  o = b.writeInt32BE(8, o);
  o = b.writeBigInt64BE(BigInt(row.articleKey), o);
  for (const v of [row.ordinal, row.start, row.end, row.tokens, row.textLen, row.titleLen]) {
    o = b.writeInt32BE(4, o);
    o = b.writeInt32BE(v, o);
  }
  o = b.writeInt32BE(title.length, o);
  o += title.copy(b, o);
  o = b.writeInt32BE(text.length, o);
  o += text.copy(b, o);
  // pgvector's binary form: int16 dimensions, int16 unused, then big-endian float4s.
  o = b.writeInt32BE(vectorBytes, o);
  o = b.writeInt16BE(d, o);
  o = b.writeInt16BE(0, o);
  for (let i = 0; i < d; i++) o = b.writeFloatBE(row.vector[i] as number, o);
  o = b.writeInt32BE(row.tsv.length, o);
  row.tsv.copy(b, o);
  return b;
}
