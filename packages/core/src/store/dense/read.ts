import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { corrupt } from '../errors.js';
import { DenseMatrix } from './kernel.js';

/** Matrices whose `vectors` view was handed out by {@link readVectorsDense}, so a reader can adopt them. */
const owners = new WeakMap<Float32Array, DenseMatrix>();

/**
 * The {@link DenseMatrix} for a generation's vectors: the one `vectors` is a view of when it
 * came from {@link readVectorsDense} (no copy), otherwise a new one holding a copy (the
 * caller's array can then be dropped, so the vectors are still held once).
 */
export function denseMatrixFor(vectors: Float32Array, dims: number): DenseMatrix {
  const own = owners.get(vectors);
  if (own !== undefined && own.dims === dims) return own;
  return DenseMatrix.from(vectors, dims);
}

/**
 * Reads `vectors.f32` (`rows × dimensions` little-endian Float32) straight into the dense
 * kernel's memory: the memory is grown to fit first, then the file is read into a view of
 * it, so the matrix never exists twice. A drop-in for `readVectors` (same checks, same
 * INDEX_CORRUPT messages); readers built from the result adopt it without copying.
 */
export async function readVectorsDense(
  file: string,
  rows: number,
  dimensions: number,
  dir: string,
): Promise<Float32Array> {
  const handle = await open(file, 'r');
  try {
    const expected = rows * dimensions * 4;
    const { size } = await handle.stat();
    if (size !== expected) {
      throw corrupt(
        file,
        `${size} bytes, expected ${expected} (${rows} chunks × ${dimensions} dimensions × 4 bytes)${size < expected ? ': truncated' : ''}`,
        dir,
      );
    }
    const matrix = DenseMatrix.allocate(rows, dimensions);
    const bytes = new Uint8Array(matrix.vectors.buffer, matrix.vectors.byteOffset, expected);
    let offset = 0;
    while (offset < expected) {
      // Reads of at most 1 GiB: larger single reads fail on some platforms.
      const { bytesRead } = await handle.read(bytes, offset, Math.min(expected - offset, 1 << 30), offset);
      if (bytesRead === 0) throw corrupt(file, `ended after ${offset} of ${expected} bytes: truncated`, dir);
      offset += bytesRead;
    }
    if (endianness() !== 'LE') Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap32();
    owners.set(matrix.vectors, matrix);
    return matrix.vectors;
  } finally {
    await handle.close();
  }
}
