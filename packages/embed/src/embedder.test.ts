import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { dot, maxAbsDiff, norm } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from './create.js';
import { EmbedError } from './errors.js';
import { standinDir } from './presets.js';
import type { Embedder } from './types.js';

const SENTENCES = [
  'Putin visited Pyongyang',
  'The Russian president flew to North Korea',
  'The recipe needs two eggs',
  'In return, the North Korean leader gave the Russian President a pair of Pungsan dogs, a local breed.',
  'Putin gifted Kim an Aurus limousine.',
  'Hi',
  'The two leaders spent more than 10 hours together during the one-day visit, as per TASS News agency, and signed a pact.',
];

async function expectEmbedError(promise: Promise<unknown> | (() => unknown), code: string): Promise<EmbedError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(EmbedError);
    expect((error as EmbedError).code).toBe(code);
    return error as EmbedError;
  }
  throw new Error(`expected an EmbedError ${code}`);
}

describe('the stand-in through transformers.js', () => {
  let fp32: Embedder;
  let q8: Embedder;

  beforeAll(async () => {
    fp32 = await createEmbedder({ model: 'standin', showProgress: false, threads: 1 });
    q8 = await createEmbedder({ model: 'standin', dtype: 'q8', showProgress: false, threads: 1 });
  });
  afterAll(async () => {
    await fp32?.dispose();
    await q8?.dispose();
  });

  it('returns one normalised 384-d vector per text', async () => {
    const vectors = await fp32.embedDocuments(SENTENCES);
    expect(fp32.dimensions).toBe(384);
    expect(vectors).toHaveLength(SENTENCES.length);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(384);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('keeps input order after sorting by length, whatever the batch size', async () => {
    const singles = await Promise.all(SENTENCES.map((s) => fp32.embedQuery(s)));
    for (const batchSize of [1, 3, 64]) {
      const batched = await fp32.embedDocuments(SENTENCES, { batchSize });
      for (const [i, v] of batched.entries()) expect(maxAbsDiff(v, singles[i] as Float32Array)).toBeLessThan(1e-5);
    }
    // Distinct sentences give distinct vectors, so a mix-up above could not pass by accident.
    expect(dot(singles[0] as Float32Array, singles[2] as Float32Array)).toBeLessThan(0.99);
  });

  it('reports progress per batch', async () => {
    const seen: Array<[number, number]> = [];
    await fp32.embedDocuments(SENTENCES, { batchSize: 3, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([
      [3, 7],
      [6, 7],
      [7, 7],
    ]);
  });

  it('counts tokens with the model tokenizer, special tokens included', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(standinDir('standin'), { local_files_only: true });
    for (const s of SENTENCES) {
      const ids = tokenizer.encode(s);
      expect(fp32.countTokens(s)).toBe(ids.length);
    }
    expect(fp32.countTokens('Hi')).toBe(3); // [CLS] hi [SEP]
  });

  it('truncates inputs beyond maxTokens instead of failing', async () => {
    const long = 'The delegation discussed trade and security. '.repeat(120);
    expect(fp32.maxTokens).toBe(512);
    expect(fp32.countTokens(long)).toBeGreaterThan(fp32.maxTokens);
    const [v] = await fp32.embedDocuments([long, 'short']);
    expect(norm(v as Float32Array)).toBeCloseTo(1, 5);
  });

  it('runs the q8 weights, close to fp32', async () => {
    const a = await fp32.embedDocuments(SENTENCES);
    const b = await q8.embedDocuments(SENTENCES);
    expect(q8.fingerprint.dtype).toBe('q8');
    a.forEach((v, i) => {
      expect(norm(b[i] as Float32Array)).toBeCloseTo(1, 5);
      expect(dot(v, b[i] as Float32Array)).toBeGreaterThan(0.95);
    });
  });

  it('puts related sentences closer than unrelated ones', async () => {
    const [putin, russian, recipe] = await fp32.embedDocuments(SENTENCES.slice(0, 3));
    expect(dot(putin as Float32Array, russian as Float32Array)).toBeGreaterThan(
      dot(putin as Float32Array, recipe as Float32Array),
    );

    const query = await fp32.embedQuery('Which pets did the leader receive?');
    const [dogs, limo] = await fp32.embedDocuments([
      'In return, the North Korean leader gave the Russian President a pair of Pungsan dogs, a local breed.',
      "From feeding carrots to a horse to taking turns driving each other around in a Russian-built Aurus limousine, both of them were spotted enjoying each other's company.",
    ]);
    expect(dot(query, dogs as Float32Array)).toBeGreaterThan(dot(query, limo as Float32Array));
  });

  it('refuses work after dispose', async () => {
    const e = await createEmbedder({ model: 'standin', showProgress: false, threads: 1 });
    await e.dispose();
    await expectEmbedError(e.embedDocuments(['x']), 'EMBED_DISPOSED');
    await expectEmbedError(e.embedQuery('x'), 'EMBED_DISPOSED');
    await expectEmbedError(() => e.countTokens('x'), 'EMBED_DISPOSED');
  });
});

describe('fingerprints', () => {
  it('are equal for identical options and differ with model, dtype or pooling', async () => {
    const make = (o: Parameters<typeof createEmbedder>[0]) => createEmbedder({ showProgress: false, threads: 1, ...o });
    const base = await make({ model: 'standin' });
    const same = await make({ model: 'standin' });
    const q8 = await make({ model: 'standin', dtype: 'q8' });
    const cls = await make({ model: 'standin', pooling: 'cls' });
    const asHubId = await make({ model: 'someone/other-model', localDir: standinDir('standin') });
    try {
      expect(same.fingerprint).toEqual(base.fingerprint);
      expect(same.fingerprintId).toBe(base.fingerprintId);
      expect(base.fingerprintId).toMatch(/^[0-9a-f]{16}$/);
      expect(base.fingerprint.weightsHash).toMatch(/^[0-9a-f]{16}$/);
      const ids = [base, q8, cls, asHubId].map((e) => e.fingerprintId);
      expect(new Set(ids).size).toBe(4);
      expect(q8.fingerprint.weightsHash).not.toBe(base.fingerprint.weightsHash);
      expect(cls.fingerprint.pooling).toBe('cls');
      expect(asHubId.fingerprint).toMatchObject({ modelId: 'someone/other-model', revision: 'local' });
    } finally {
      await Promise.all([base, same, q8, cls, asHubId].map((e) => e.dispose()));
    }
  });
});

describe('model folders', () => {
  let empty: string;
  beforeAll(async () => {
    empty = await mkdtemp(path.join(tmpdir(), 'newsrag-embed-empty-'));
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
  });

  it('names the folder and the missing files of an incomplete localDir', async () => {
    const error = await expectEmbedError(
      createEmbedder({ model: 'x/y', localDir: empty, showProgress: false }),
      'EMBED_MODEL_INVALID',
    );
    expect(error.message).toContain(empty);
    expect(error.message).toContain('onnx/model.onnx');
  });

  it('reports unreadable weights as an invalid model naming the folder', async () => {
    const broken = path.join(empty, 'broken');
    await mkdir(path.join(broken, 'onnx'), { recursive: true });
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
      await copyFile(path.join(standinDir('standin'), file), path.join(broken, file));
    }
    await writeFile(path.join(broken, 'onnx', 'model.onnx'), 'this is not an ONNX graph');
    const error = await expectEmbedError(
      createEmbedder({ model: 'x/y', localDir: broken, showProgress: false }),
      'EMBED_MODEL_INVALID',
    );
    expect(error.message).toContain(broken);
  });

  it('tells the user to build a missing stand-in', async () => {
    const saved = process.env.NEWSRAG_STANDIN_DIR;
    process.env.NEWSRAG_STANDIN_DIR = empty;
    try {
      const error = await expectEmbedError(
        createEmbedder({ model: 'standin-bge-shape', showProgress: false }),
        'EMBED_STANDIN_MISSING',
      );
      expect(error.message).toContain('npm run build:standin');
      expect(error.message).toContain(path.join(empty, 'standin-bge-shape'));
    } finally {
      if (saved === undefined) delete process.env.NEWSRAG_STANDIN_DIR;
      else process.env.NEWSRAG_STANDIN_DIR = saved;
    }
  });
});
