/**
 * The chunks' `tsv` column, analysed in JavaScript by the embedded engines' analyser
 * (`indexAnalyzer.terms`: MiniSearch's tokenizer, then `normalizeTerm`), so that PostgreSQL only matches
 * and counts and both engines score the very same terms.
 *
 * One lexeme per term and field: a term of the chunk text as itself, a term of the article
 * title as {@link TITLE_PREFIX} + the term, so the GIN index finds a field's matches without
 * rechecking rows (BM25 scores the fields apart, with their own document frequencies, and
 * pruning treats a common word's rare title matches apart from its many text matches). A
 * lexeme's one position carries its term frequency in that field, not a place (nothing in
 * newsrag asks phrases; PostgreSQL keeps at most 256 positions per lexeme, so counting real
 * ones would not be exact); the weight says the field too (A title, D text).
 */
import { createHash } from 'node:crypto';
import { indexAnalyzer } from '../../text/analyzers.js';

/** Marks a title lexeme. `indexAnalyzer.normalizeTerm` strips leading punctuation, so no term starts with it. */
export const TITLE_PREFIX = '@';
/** The largest tf a position can carry (tsvector positions are 1..16383; a chunk is a few hundred tokens). */
export const TF_CAP = 16383;
/**
 * Terms longer than this many UTF-8 bytes are stored as `#` + their SHA-256 (hex): a tsvector
 * lexeme must stay under 2 KB and a GIN key under a third of a page. `indexAnalyzer.normalizeTerm` strips
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
  for (const t of indexAnalyzer.terms(text)) {
    const l = lexemeOf(t);
    out.set(l, (out.get(l) ?? 0) + 1);
  }
  return out;
}

/** The analysed lexemes of a query, in query order, repeats kept (MiniSearch scores a repeat again). */
export function queryLexemes(query: string): string[] {
  return indexAnalyzer.terms(query).map(lexemeOf);
}

/** One lexeme of a chunk: the stored lexeme (title ones prefixed), its term, its field and tf. */
export interface ChunkLexeme {
  lexeme: string;
  term: string;
  title: boolean;
  tf: number;
}

/** The lexemes of a chunk from its text's and its title's term frequencies (the title's computed once per article). */
export function chunkLexemes(text: Map<string, number>, title: Map<string, number>): ChunkLexeme[] {
  const out: ChunkLexeme[] = [];
  for (const [term, tf] of text) out.push({ lexeme: term, term, title: false, tf });
  for (const [term, tf] of title) out.push({ lexeme: TITLE_PREFIX + term, term, title: true, tf });
  return out;
}

const WEIGHT_A = 3;

/** The one position of a lexeme: its weight and its tf. */
function position(l: ChunkLexeme): [number, number] {
  return [l.title ? WEIGHT_A : 0, Math.min(l.tf, TF_CAP)];
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
    const [weight, p] = position(l);
    const bytes = Buffer.from(l.lexeme, 'utf8');
    const b = Buffer.allocUnsafe(bytes.length + 1 + 2 + 2);
    bytes.copy(b, 0);
    let o = b.writeUInt8(0, bytes.length);
    o = b.writeUInt16BE(1, o);
    b.writeUInt16BE((weight << 14) | p, o);
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/** The tsvector's text form (`'it''s':3 '@x':1A`), for parameters (`$1::tsvector`). */
export function tsvectorLiteral(lexemes: readonly ChunkLexeme[]): string {
  return lexemes
    .map((l) => {
      const [weight, p] = position(l);
      return `${quoteLexeme(l.lexeme)}:${p}${weight === WEIGHT_A ? 'A' : ''}`;
    })
    .join(' ');
}

/** A lexeme quoted for tsvector and tsquery input (not analysed again). */
export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * Per term of the tsvectors of `chunks` (aliased `c`; `join` and `where` narrow them): the
 * chunks holding it in the text, in the title, in either. What `terms` holds, counted from the
 * tsvectors (a write subtracts its leaving chunks' counts; `check()` compares all).
 */
export function termCountsSql(chunks: string, join = '', where = ''): string {
  return `SELECT term, count(*) FILTER (WHERE in_text), count(*) FILTER (WHERE in_title), count(*)
    FROM (
      SELECT c.key, CASE WHEN left(u.lexeme, 1) = '${TITLE_PREFIX}' THEN substr(u.lexeme, 2) ELSE u.lexeme END AS term,
             bool_or(left(u.lexeme, 1) <> '${TITLE_PREFIX}') AS in_text, bool_or(left(u.lexeme, 1) = '${TITLE_PREFIX}') AS in_title
      FROM ${chunks} c ${join}, unnest(c.tsv) u ${where} GROUP BY c.key, 2
    ) x GROUP BY term`;
}

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
