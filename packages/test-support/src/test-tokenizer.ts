/**
 * Token counting for the chunking tests and benchmark: the real transformers.js
 * tokenizer of the stand-in model (`packages/embed/models/standin-src`, the
 * bert-base-uncased WordPiece of all-MiniLM-L6-v2 and bge-small). Loading only the
 * tokenizer keeps these tests independent of the ONNX model build. Not for
 * production code: there the embedder counts tokens.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer, env } from '@huggingface/transformers';

/** Folder of the stand-in model's tokenizer files. */
export const STANDIN_TOKENIZER_DIR = fileURLToPath(new URL('../../embed/models/standin-src', import.meta.url));

export interface TestTokenizer {
  countTokens: (text: string) => number;
}

/** Loads the stand-in model's tokenizer from its local files (never from a hub). */
export async function loadTestTokenizer(): Promise<TestTokenizer> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(STANDIN_TOKENIZER_DIR);
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(STANDIN_TOKENIZER_DIR));
  return { countTokens: (t) => tokenizer.encode(t).length };
}
