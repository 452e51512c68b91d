import v8 from 'node:v8';
import vm from 'node:vm';
import { variedTexts } from '@newsrag/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmbedder } from './create.js';
import type { Embedder } from './types.js';

const MB = 1024 * 1024;
const CHUNK = 2_500;
let embedder: Embedder;

// A real collection before each reading, so RSS shows retained memory rather than garbage
// that V8 has not got round to yet (vitest's workers run without --expose-gc).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

beforeAll(async () => {
  embedder = await createEmbedder({ model: 'standin', showProgress: false });
});
afterAll(async () => {
  await embedder?.dispose();
});

async function embedAll(texts: readonly string[]): Promise<number> {
  let count = 0;
  for (let start = 0; start < texts.length; start += CHUNK) {
    const vectors = await embedder.embedDocuments(texts.slice(start, start + CHUNK));
    expect(vectors).toHaveLength(Math.min(CHUNK, texts.length - start));
    count += vectors.length;
  }
  return count;
}

function settledRss(): number {
  gc();
  gc();
  return process.memoryUsage().rss;
}

it('embeds 10,000 texts twice more after warm-up without RSS growing more than 50 MB', async () => {
  const texts = variedTexts(10_000);
  // Warm-up: passes over the same workload, so the allocator and ONNX Runtime's arena have
  // seen every batch shape (the arena still grows during them: in CI 316 → 367 MB). "Before"
  // is the settled reading after warm-up; "after" the settled reading after two more full
  // passes of the same 10,000 texts. A leak raises RSS with every pass; a flat run does not.
  const warm: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    await embedAll(texts);
    warm.push(settledRss());
  }
  const measured: number[] = [];
  let count = 0;
  for (let pass = 0; pass < 2; pass++) {
    count = await embedAll(texts);
    measured.push(settledRss());
  }
  const before = warm[warm.length - 1] as number;
  const after = measured[measured.length - 1] as number;
  const growth = (after - before) / MB;
  const mb = (xs: number[]) => xs.map((x) => (x / MB).toFixed(1)).join(', ');
  console.log(
    `RSS before ${(before / MB).toFixed(1)} MB (warm-up passes: ${mb(warm)}), after ${(after / MB).toFixed(1)} MB (measured passes: ${mb(measured)}), growth ${growth.toFixed(1)} MB over 2 × ${count} texts`,
  );
  expect(count).toBe(10_000);
  expect(growth).toBeLessThan(50);
}, 180_000);
