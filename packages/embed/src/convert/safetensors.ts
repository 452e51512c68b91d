import { open } from 'node:fs/promises';
import { EmbedError } from '../errors.js';

/** One tensor of a safetensors file, as float32. */
export interface Tensor32 {
  shape: number[];
  data: Float32Array;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Headers larger than this are not a model's (the format itself caps them at 100 MB). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;
const BYTES_PER: Record<string, number> = { F32: 4, F16: 2, BF16: 2, I64: 8 };

/**
 * Reads the floating-point tensors of a `.safetensors` file (the format is an 8-byte
 * little-endian header length, a JSON header, then raw little-endian tensor bytes).
 * F16 and BF16 are widened to float32; integer tensors (such as BERT's `position_ids`
 * buffer) are skipped. Hand-written because the format is 20 lines of spec and the npm
 * readers found either pull in a tensor library or only run in browsers.
 *
 * @throws EmbedError `EMBED_MODEL_INVALID` naming the file when it is not valid safetensors.
 */
export async function readSafetensors(file: string): Promise<Map<string, Tensor32>> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const lengthBytes = Buffer.alloc(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const headerLength = Number(lengthBytes.readBigUInt64LE(0));
    if (size < 8 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size)
      throw invalid(file, `its header length (${headerLength}) does not fit its size (${size} bytes)`);
    const headerBytes = Buffer.alloc(headerLength);
    await handle.read(headerBytes, 0, headerLength, 8);
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw invalid(file, 'its header is not JSON');
    }
    const dataStart = 8 + headerLength;
    const tensors = new Map<string, Tensor32>();
    for (const [name, raw] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const entry = checkEntry(file, name, raw);
      const bytesPer = BYTES_PER[entry.dtype];
      if (bytesPer === undefined) throw invalid(file, `tensor ${name} has unsupported dtype ${entry.dtype}`);
      const [begin, end] = entry.data_offsets;
      const count = entry.shape.reduce((a, b) => a * b, 1);
      if (end - begin !== count * bytesPer || dataStart + end > size)
        throw invalid(file, `tensor ${name} (${entry.dtype} [${entry.shape.join(', ')}]) has offsets ${begin}..${end}`);
      if (entry.dtype === 'I64') continue;
      const bytes = Buffer.alloc(end - begin);
      await handle.read(bytes, 0, bytes.length, dataStart + begin);
      tensors.set(name, { shape: entry.shape, data: toFloat32(bytes, entry.dtype, count) });
    }
    return tensors;
  } finally {
    await handle.close();
  }
}

function checkEntry(file: string, name: string, raw: unknown): HeaderEntry {
  const e = raw as Partial<HeaderEntry> | null;
  const ok =
    e !== null &&
    typeof e === 'object' &&
    typeof e.dtype === 'string' &&
    Array.isArray(e.shape) &&
    e.shape.every((d) => Number.isInteger(d) && d >= 0) &&
    Array.isArray(e.data_offsets) &&
    e.data_offsets.length === 2 &&
    e.data_offsets.every((o) => Number.isInteger(o) && o >= 0);
  if (!ok) throw invalid(file, `the header entry of tensor ${name.slice(0, 80)} is malformed`);
  return e as HeaderEntry;
}

function toFloat32(bytes: Buffer, dtype: string, count: number): Float32Array {
  const out = new Float32Array(count);
  if (dtype === 'F32') {
    // The file is little-endian, as is every CPU onnxruntime-node ships for.
    new Uint8Array(out.buffer).set(bytes);
  } else if (dtype === 'BF16') {
    // bfloat16 is the top half of a float32.
    const view = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < count; i++) {
      view.setUint32(0, bytes.readUInt16LE(i * 2) << 16, true);
      out[i] = view.getFloat32(0, true);
    }
  } else {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(bytes.readUInt16LE(i * 2));
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac === 0 ? sign * Infinity : Number.NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function invalid(file: string, why: string): EmbedError {
  return new EmbedError('EMBED_MODEL_INVALID', `${file} is not a usable safetensors file: ${why}.`);
}
