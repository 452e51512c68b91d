/**
 * The chunks' `tsv` column, analysed in JavaScript by the embedded engines' analyser
 * (MiniSearch's tokenizer and `processTerm`, via `terms()`), so that PostgreSQL only matches
 * and counts and both engines score the very same terms.
 *
 * A lexeme's positions carry its term frequencies, not places in the text (nothing in newsrag
 * asks phrases): one position of weight D whose number is the tf in the chunk text, and one
 * of weight A at {@link TITLE_BASE} + the tf in the article title. That keeps a chunk's
 * tsvector one entry per distinct term with two positions at most (PostgreSQL keeps at most
 * 256 positions per lexeme, so counting real positions would not be exact), and a query reads
 * the tfs of a matched lexeme straight from `unnest(tsv)`. Weights still say the field, so
 * `'x':A` queries and `ts_filter` keep their meaning.
 */
import { createHash } from 'node:crypto';
import { terms } from '../sqlite/fts.js';

/** Title positions start above this; text positions are below it (tsvector positions are 1..16383). */
export const TITLE_BASE = 8192;
/** The largest tf a position can carry (a chunk is a few hundred tokens: never reached in practice). */
export const TF_CAP = TITLE_BASE - 1;
/**
 * Terms longer than this many UTF-8 bytes are stored as `#` + their SHA-256 (hex): a tsvector
 * lexeme must stay under 2 KB and a GIN key under a third of a page. `processTerm` strips
 * leading punctuation, so no real term starts with `#`, and queries map terms the same way.
 */
export const MAX_LEXEME_BYTES = 512;

/** The lexeme a processed term is stored and queried as. */
export function lexemeOf(term: string): string {
  if (Buffer.byteLength(term, 'utf8') <= MAX_LEXEME_BYTES) return term;
  return `#${createHash('sha256').update(term, 'utf8').digest('hex')}`;
}

/** A field's term frequencies: lexeme → tf. */
export function fieldTerms(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of terms(text)) {
    const l = lexemeOf(t);
    out.set(l, (out.get(l) ?? 0) + 1);
  }
  return out;
}

/** The analysed lexemes of a query, in query order, repeats kept (MiniSearch scores a repeat again). */
export function queryLexemes(query: string): string[] {
  return terms(query).map(lexemeOf);
}

/** One lexeme of a chunk: its tf in the chunk text and in the article title (0 when absent). */
export interface ChunkLexeme {
  lexeme: string;
  text: number;
  title: number;
}

/** The lexemes of a chunk from its text's and its title's term frequencies (the title's computed once per article). */
export function chunkLexemes(text: Map<string, number>, title: Map<string, number>): ChunkLexeme[] {
  const out: ChunkLexeme[] = [];
  for (const [lexeme, tf] of text) out.push({ lexeme, text: tf, title: title.get(lexeme) ?? 0 });
  for (const [lexeme, tf] of title) if (!text.has(lexeme)) out.push({ lexeme, text: 0, title: tf });
  return out;
}

const WEIGHT_A = 3;

/** The positions of a lexeme: (weight, position) pairs in increasing position order. */
function positions(l: ChunkLexeme): [number, number][] {
  const out: [number, number][] = [];
  if (l.text > 0) out.push([0, Math.min(l.text, TF_CAP)]);
  if (l.title > 0) out.push([WEIGHT_A, TITLE_BASE + Math.min(l.title, TF_CAP)]);
  return out;
}

/**
 * The tsvector's binary form (`tsvectorrecv`), for binary COPY: int32 lexeme count, then per
 * lexeme its UTF-8 bytes, a NUL, int16 position count and int16 positions (weight in the top
 * two bits). The server sorts the lexemes itself.
 */
export function tsvectorBinary(lexemes: readonly ChunkLexeme[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.allocUnsafe(4);
  head.writeInt32BE(lexemes.length, 0);
  parts.push(head);
  for (const l of lexemes) {
    const pos = positions(l);
    const bytes = Buffer.from(l.lexeme, 'utf8');
    const b = Buffer.allocUnsafe(bytes.length + 1 + 2 + 2 * pos.length);
    bytes.copy(b, 0);
    let o = b.writeUInt8(0, bytes.length);
    o = b.writeUInt16BE(pos.length, o);
    for (const [weight, p] of pos) o = b.writeUInt16BE((weight << 14) | p, o);
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/** The tsvector's text form (`'it''s':3 'x':2,8193A`), for parameters (`$1::tsvector`). */
export function tsvectorLiteral(lexemes: readonly ChunkLexeme[]): string {
  return lexemes
    .map((l) => {
      const quoted = `'${l.lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
      const pos = positions(l).map(([weight, p]) => `${p}${weight === WEIGHT_A ? 'A' : ''}`);
      return `${quoted}:${pos.join(',')}`;
    })
    .join(' ');
}

/**
 * SQL of the tfs of a row of `unnest(tsv)` aliased `u` (see the module comment): the text tf
 * is the first position when below {@link TITLE_BASE}, the title tf the last one above it.
 */
export const TF_TEXT_SQL = `CASE WHEN u.positions[1] < ${TITLE_BASE} THEN u.positions[1] ELSE 0 END`;
export const TF_TITLE_SQL = `CASE WHEN u.positions[array_upper(u.positions, 1)] > ${TITLE_BASE} THEN u.positions[array_upper(u.positions, 1)] - ${TITLE_BASE} ELSE 0 END`;

/** {@link tsvectorLiteral} of stored chunk rows (a title analysed once per batch): what a migration and `check()` recompute. */
export function tsvectorLiterals(rows: readonly { title: string; text: string }[]): string[] {
  const titles = new Map<string, Map<string, number>>();
  return rows.map((row) => {
    let title = titles.get(row.title);
    if (!title) {
      title = fieldTerms(row.title);
      titles.set(row.title, title);
    }
    return tsvectorLiteral(chunkLexemes(fieldTerms(row.text), title));
  });
}
