import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng, randomUnitVectors } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';
import { afterAll, describe, expect, it } from 'vitest';
import { DOT_WASM_TS, encodeDotModule, renderDotWasmModule } from '../../../scripts/build-wasm.js';
import { FolderIndexStore } from '../folder-store.js';
import { DOT_WASM_BASE64 } from './dot-wasm.js';
import { DenseMatrix, denseMatrixFor, readVectorsDense, simdAvailable } from './index.js';

function randomMatrix(rng: () => number, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
}

function jsDot(m: Float32Array, d: number, row: number, q: Float32Array): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (m[row * d + j] as number) * (q[j] as number);
  return s;
}

describe('dense kernel bytes', () => {
  it('the committed dot-wasm.ts is exactly what scripts/build-wasm.ts generates', async () => {
    const bytes = encodeDotModule();
    expect(Buffer.from(DOT_WASM_BASE64, 'base64').equals(Buffer.from(bytes))).toBe(true);
    expect(await readFile(DOT_WASM_TS, 'utf8')).toBe(renderDotWasmModule(bytes));
  });

  it('is a valid module using SIMD, available on this Node', () => {
    expect(WebAssembly.validate(encodeDotModule())).toBe(true);
    expect(simdAvailable()).toBe(true);
  });
});

describe('DenseMatrix.scores (WebAssembly SIMD)', () => {
  const rng = prng(42);
  for (const d of [1, 3, 4, 5, 15, 16, 17, 31, 64, 100, 383, 384]) {
    it(`equals a plain JS dot product for ${d} dimensions`, () => {
      const rows = 37;
      const data = randomMatrix(rng, rows * d);
      const m = DenseMatrix.from(data, d);
      expect(m.usesSimd).toBe(true);
      const q = randomMatrix(rng, d);
      const scores = m.scores(q);
      for (let r = 0; r < rows; r++) expect(Math.abs((scores[r] as number) - jsDot(data, d, r, q))).toBeLessThan(1e-5);
    });
  }

  it('scores only the asked range (a filter) and leaves the rest alone', () => {
    const d = 7;
    const rows = 20;
    const data = randomMatrix(rng, rows * d);
    const m = DenseMatrix.from(data, d);
    const q = randomMatrix(rng, d);
    const before = m.scores(q).slice();
    const q2 = randomMatrix(rng, d);
    const scores = m.scores(q2, 5, 3);
    for (let r = 0; r < rows; r++) {
      const want = r >= 5 && r < 8 ? jsDot(data, d, r, q2) : (before[r] as number);
      expect(Math.abs((scores[r] as number) - want)).toBeLessThan(1e-5);
    }
  });

  it('keeps vectors as a view over its memory, so writes to the view are what gets scored', () => {
    const m = DenseMatrix.allocate(2, 3);
    m.vectors.set([1, 2, 3, 4, 5, 6]);
    expect(Array.from(m.scores(new Float32Array([1, 0, 1])).subarray(0, 2))).toEqual([4, 10]);
  });

  it('rejects a query of the wrong size and rows outside the matrix', () => {
    const m = DenseMatrix.allocate(2, 3);
    expect(() => m.scores(new Float32Array(4))).toThrow(/4 dimensions, the matrix 3/);
    expect(() => m.scores(new Float32Array(3), 1, 2)).toThrow(/outside/);
  });
});

describe('readVectorsDense', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('reads vectors.f32 into the kernel memory, which a reader then adopts without copying', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsrag-dense-'));
    dirs.push(dir);
    const data = randomMatrix(prng(7), 9 * 5);
    const file = join(dir, 'vectors.f32');
    await writeFile(file, new Uint8Array(data.buffer));
    const vectors = await readVectorsDense(file, 9, 5, dir);
    expect(Array.from(vectors)).toEqual(Array.from(data));
    const m = denseMatrixFor(vectors, 5);
    expect(m.vectors).toBe(vectors);
    expect(denseMatrixFor(data, 5).vectors).not.toBe(data);
  });

  it('names the file when it is truncated', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsrag-dense-'));
    dirs.push(dir);
    const file = join(dir, 'vectors.f32');
    await writeFile(file, new Uint8Array(10));
    await expect(readVectorsDense(file, 9, 5, dir)).rejects.toThrow(/vectors\.f32.*10 bytes, expected 180.*truncated/);
  });
});

describe('FolderIndexReader.denseSearch on the kernel', () => {
  it('matches a brute-force JS top-k, with and without a filter, at 13 dimensions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsrag-dense-reader-'));
    try {
      const d = 13;
      const rng = prng(3);
      const upserts = Array.from({ length: 12 }, (_, i) =>
        syntheticArticle(rng, `a${i}`, { chunks: 1 + (i % 4), dimensions: d }),
      );
      const reader = await new FolderIndexStore(join(dir, '.newsrag')).write(syntheticUpdate(d, upserts));
      const q = randomUnitVectors(prng(4), 1, d);
      const brute = (allowed: (row: number) => boolean) =>
        Array.from({ length: reader.chunkCount }, (_, r) => r)
          .filter(allowed)
          .map((r) => ({ row: r, score: jsDot(reader.vector(r), d, 0, q) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 5);
      const check = (got: { row: number; score: number }[], want: { row: number; score: number }[]) => {
        expect(got.map((x) => x.row)).toEqual(want.map((x) => x.row));
        for (const [i, x] of got.entries()) {
          expect(Math.abs(x.score - (want[i] as { score: number }).score)).toBeLessThan(1e-5);
        }
      };
      check(
        reader.denseSearch(q, 5),
        brute(() => true),
      );
      const ids = ['a2', 'a5', 'a7'];
      check(
        reader.denseSearch(q, 5, { articleIds: ids }),
        brute((r) => ids.includes(reader.chunk(r).articleId)),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
