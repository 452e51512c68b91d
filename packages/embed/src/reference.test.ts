/**
 * Proof that newsrag's vectors are the model's vectors: all-MiniLM-L6-v2 as newsrag converts
 * and runs it (transformers.js on the ONNX graph written from the PyPI wheel's safetensors)
 * against reference vectors from sentence-transformers with PyTorch on the CPU
 * (`scripts/reference/make_reference.py`, committed output in `test-fixtures/reference/`):
 * seed sentences, BBC passages, questions with and without bge's instruction, texts longer
 * than the model's 256 tokens, six other languages, emoji, punctuation.
 */
import { readFileSync } from 'node:fs';
import { dot } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from './create.js';
import type { EmbedDtype, Embedder } from './types.js';

interface ReferenceItem {
  text: string;
  tokens: number;
  truncated: boolean;
  vector: string;
}

const reference = JSON.parse(
  readFileSync(new URL('../test-fixtures/reference/all-MiniLM-L6-v2.json', import.meta.url), 'utf8'),
) as { max_seq_length: number; items: ReferenceItem[] };

const decode = (b64: string): Float32Array => {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};
const texts = reference.items.map((i) => i.text);
const expected = reference.items.map((i) => decode(i.vector));

const embedders: Partial<Record<EmbedDtype, Embedder>> = {};
beforeAll(async () => {
  // From the cache the test set-up filled from PyPI; no network.
  embedders.fp32 = await createEmbedder({ model: 'all-MiniLM-L6-v2', dtype: 'fp32', allowRemote: false });
  embedders.q8 = await createEmbedder({ model: 'all-MiniLM-L6-v2', dtype: 'q8', allowRemote: false });
});
afterAll(async () => {
  await embedders.fp32?.dispose();
  await embedders.q8?.dispose();
});

/** Cosine of each text's vector with its reference vector. */
async function cosines(embedder: Embedder, batchSize: number): Promise<number[]> {
  const got = await embedder.embedDocuments(texts, { batchSize });
  return got.map((v, i) => dot(v, expected[i] as Float32Array));
}

describe('all-MiniLM-L6-v2 against sentence-transformers (PyTorch, CPU)', () => {
  it('covers what it should: ≥ 60 texts, some past the 256-token limit', () => {
    expect(reference.items.length).toBeGreaterThanOrEqual(60);
    expect(reference.items.filter((i) => i.truncated).length).toBeGreaterThanOrEqual(4);
    expect(reference.max_seq_length).toBe(256);
  });

  it('fp32: cosine ≥ 0.9999 for every text, batched or one by one', async () => {
    const e = embedders.fp32 as Embedder;
    for (const batchSize of [32, 1]) {
      const c = await cosines(e, batchSize);
      const worst = Math.min(...c);
      expect(worst, `worst text: ${texts[c.indexOf(worst)]?.slice(0, 60)}`).toBeGreaterThanOrEqual(0.9999);
    }
  });

  it('q8: cosine ≥ 0.99 for every text', async () => {
    const c = await cosines(embedders.q8 as Embedder, 32);
    const worst = Math.min(...c);
    expect(worst, `worst text: ${texts[c.indexOf(worst)]?.slice(0, 60)}`).toBeGreaterThanOrEqual(0.99);
  });

  it('truncates where sentence-transformers does: the same token count for every text', () => {
    const e = embedders.fp32 as Embedder;
    expect(e.maxTokens).toBe(256);
    for (const item of reference.items) {
      expect(Math.min(e.countTokens(item.text), e.maxTokens), item.text.slice(0, 60)).toBe(item.tokens);
    }
  });

  it('a query embeds like a document (the model has no query instruction)', async () => {
    const e = embedders.fp32 as Embedder;
    const q = 'What gifts did Putin and Kim exchange?';
    const [d] = await e.embedDocuments([q]);
    expect(dot(await e.embedQuery(q), d as Float32Array)).toBeGreaterThan(0.99999);
  });
});
