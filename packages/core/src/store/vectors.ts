import { open, readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { FILE_MODE } from './atomic.js';
import { corrupt } from './errors.js';

const LITTLE_ENDIAN = endianness() === 'LE';

/** Swaps the byte order of every 4-byte word in place (only on big-endian hosts). */
function swap32(bytes: Uint8Array): void {
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap32();
}

/**
 * Reads `vectors.f32`: a `rows × dimensions` little-endian Float32 matrix. One
 * `readFile`, then a Float32Array view over the same memory (no copy) when the
 * buffer is 4-byte aligned, which it is for any file past Node's small-buffer pool.
 */
export async function readVectors(file: string, rows: number, dimensions: number, dir: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  const expected = rows * dimensions * 4;
  if (bytes.byteLength !== expected) {
    throw corrupt(
      file,
      `${bytes.byteLength} bytes, expected ${expected} (${rows} chunks × ${dimensions} dimensions × 4 bytes)${bytes.byteLength < expected ? ': truncated' : ''}`,
      dir,
    );
  }
  let matrix: Float32Array;
  if (bytes.byteOffset % 4 === 0) {
    matrix = new Float32Array(bytes.buffer, bytes.byteOffset, rows * dimensions);
  } else {
    matrix = new Float32Array(rows * dimensions);
    new Uint8Array(matrix.buffer).set(bytes);
  }
  if (!LITTLE_ENDIAN) swap32(new Uint8Array(matrix.buffer, matrix.byteOffset, matrix.byteLength));
  return matrix;
}

/** The matrix's bytes in file order (little-endian), without copying on little-endian hosts. */
function fileBytes(matrix: Float32Array): Uint8Array {
  const view = new Uint8Array(matrix.buffer, matrix.byteOffset, matrix.byteLength);
  if (LITTLE_ENDIAN) return view;
  const copy = new Uint8Array(view);
  swap32(copy);
  return copy;
}

/**
 * Writes the matrix to `file` and fsyncs it. `halfway` runs after the first half
 * is on disk (the crash tests kill the writer there).
 */
export async function writeVectors(file: string, matrix: Float32Array, halfway?: () => Promise<void>): Promise<void> {
  const bytes = fileBytes(matrix);
  const handle = await open(file, 'w', FILE_MODE);
  try {
    const half = Math.floor(bytes.byteLength / 8) * 4;
    let offset = 0;
    while (offset < bytes.byteLength) {
      const end = offset < half ? half : bytes.byteLength;
      const { bytesWritten } = await handle.write(bytes, offset, end - offset, offset);
      offset += bytesWritten;
      if (offset === half && halfway) {
        await handle.sync();
        await halfway();
      }
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}
