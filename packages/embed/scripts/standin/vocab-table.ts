import { type Frame, project } from './projection.js';
import type { WordVectorSet } from './vectors.js';

/** SIF weighting parameters (Arora et al. 2017, "A simple but tough-to-beat baseline"). */
export interface SifOptions {
  /** The smoothing constant `a` in `a / (a + p(word))`. */
  a: number;
  /**
   * Weight of the background direction every entry carries. Without it a text made only
   * of entries without a vector ("a", "[UNK]", "##ing") would pool to the zero vector and
   * normalise to NaN; with it such texts map to the background direction, and for any
   * text with content words it is negligible.
   */
  background: number;
}

/** Per-entry semantic weights and directions for a WordPiece vocabulary. */
export interface SemanticTable {
  /** Row-major `vocab × frame.outDim`: `s·u + ε·b` per entry (|u| = 1, s = SIF weight or 0 without a vector, ε·b the background). */
  rows: Float32Array;
  /** The SIF weight `s` of each entry (0 when it has no vector). */
  weights: Float32Array;
  /** The background weight ε all rows carry. */
  background: number;
  /** Entries that got a word vector. */
  covered: number;
}

/**
 * Whether a vocab entry is a whole word that may carry a word vector: not a `##`
 * continuation piece, not a bracketed special token ([CLS], [unused12], …) and not bare
 * punctuation (GloVe has vectors for "?" and "(", but they say nothing about a topic).
 */
export function isWholeWord(token: string): boolean {
  if (token.startsWith('##')) return false;
  if (/^\[[^\]]+\]$/.test(token)) return false;
  return /[\p{L}\p{N}]/u.test(token);
}

/**
 * Zipf estimate of a word's unigram probability from its frequency rank:
 * `p(r) = 1 / (r · H_N)` with the harmonic number `H_N ≈ ln N + γ` (r is 1-based).
 */
export function zipfProbability(rank0: number, vocabularySize: number): number {
  const harmonic = Math.log(vocabularySize) + 0.5772156649;
  return 1 / ((rank0 + 1) * harmonic);
}

/** The SIF weight `a / (a + p)`: ~0 for the most frequent words, ~1 for rare content words. */
export function sifWeight(rank0: number, vocabularySize: number, options: SifOptions): number {
  return options.a / (options.a + zipfProbability(rank0, vocabularySize));
}

/** The word a vocab entry is looked up by in the word-vector file. */
export function lookupKey(token: string): string {
  return token.toLowerCase();
}

/**
 * Builds the semantic part of the embedding table: for each whole-word entry with a
 * word vector, the unit-normalised vector, projected into the frame's space and scaled
 * by its SIF weight. Everything else (subword pieces, specials, unknown words) has no
 * semantic part. Every row also carries the small background `ε·b`.
 */
export function buildSemanticTable(
  vocab: readonly string[],
  words: WordVectorSet,
  frame: Frame,
  sif: SifOptions,
): SemanticTable {
  const dim = frame.outDim;
  const rows = new Float32Array(vocab.length * dim);
  const weights = new Float32Array(vocab.length);
  const unit = new Float64Array(frame.inDim);
  const projected = new Float64Array(dim);
  let covered = 0;
  const eps = sif.background;
  for (let id = 0; id < vocab.length; id++) {
    for (let c = 0; c < dim; c++) rows[id * dim + c] = eps * (frame.background[c] ?? 0);
  }
  vocab.forEach((token, id) => {
    if (!isWholeWord(token)) return;
    const wv = words.vectors.get(lookupKey(token));
    if (wv === undefined) return;
    let norm = 0;
    for (let i = 0; i < frame.inDim; i++) norm += (wv.vector[i] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return;
    for (let i = 0; i < frame.inDim; i++) unit[i] = (wv.vector[i] ?? 0) / norm;
    project(frame, unit, projected);
    const s = sifWeight(wv.rank, words.size, sif);
    for (let c = 0; c < dim; c++) rows[id * dim + c] = (rows[id * dim + c] ?? 0) + s * (projected[c] ?? 0);
    weights[id] = s;
    covered++;
  });
  return { rows, weights, covered, background: eps };
}

/**
 * The bge-shaped table: row = `s·u + ε·b + sqrt(R² − s² − ε²)·f`, so every row has norm R
 * and zero mean, and LayerNorm (gamma 1, beta 0) scales all tokens alike.
 */
export function withFiller(table: SemanticTable, frame: Frame, radius: number): Float32Array {
  const dim = frame.outDim;
  const out = new Float32Array(table.rows);
  for (let id = 0; id < table.weights.length; id++) {
    const s = table.weights[id] ?? 0;
    const rest = radius * radius - s * s - table.background * table.background;
    if (rest < 0)
      throw new RangeError(`entry ${id}: SIF weight ${s} and background ${table.background} exceed radius ${radius}`);
    const c = Math.sqrt(rest);
    for (let k = 0; k < dim; k++) out[id * dim + k] = (out[id * dim + k] ?? 0) + c * (frame.filler[k] ?? 0);
  }
  return out;
}

/** Reads `vocab.txt` (one WordPiece entry per line, id = line number). */
export function parseVocab(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
