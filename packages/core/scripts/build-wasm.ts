/**
 * Regenerates `src/store/dense/dot-wasm.ts`, the compiled bytes of the dense-search
 * kernel `src/store/dense/dot.wat`.
 *
 *   npx tsx packages/core/scripts/build-wasm.ts
 *
 * There is no WAT compiler (wabt) on this machine and no new packages may be installed,
 * so the kernel is encoded here by hand: a tiny WebAssembly binary encoder for the few
 * sections and opcodes the kernel needs (type, function, memory, export, code; i32/f32
 * arithmetic, loads/stores, block/loop/br_if and a handful of SIMD v128 ops). The
 * instruction list in {@link kernelBody} follows `dot.wat` line by line; a test checks
 * that the committed bytes equal {@link encodeDotModule}'s output and that the kernel
 * computes the same scores as a plain JS dot product.
 *
 * Binary format reference: https://webassembly.github.io/spec/core/binary/ and the SIMD
 * proposal's opcode table (0xFD prefix, LEB128-encoded sub-opcode).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Unsigned LEB128 (sizes, indices, SIMD sub-opcodes, memarg fields). */
export function u32(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (the immediate of `i32.const`). */
export function s32(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A vector: its element count, then the elements. */
export function vec(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

export function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...u32(bytes.length), ...bytes];
}

/** A section: id, byte size, contents. */
export function section(id: number, contents: number[]): number[] {
  return [id, ...u32(contents.length), ...contents];
}

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export const VOID_BLOCK = 0x40;

/** The opcodes used, by their WAT names. */
const op = {
  block: (): number[] => [0x02, VOID_BLOCK],
  loop: (): number[] => [0x03, VOID_BLOCK],
  end: (): number[] => [0x0b],
  brIf: (depth: number): number[] => [0x0d, ...u32(depth)],
  get: (local: number): number[] => [0x20, ...u32(local)],
  set: (local: number): number[] => [0x21, ...u32(local)],
  i32Const: (n: number): number[] => [0x41, ...s32(n)],
  f32Const0: (): number[] => [0x43, 0, 0, 0, 0],
  /** memarg = log2(alignment), offset; alignment 4 bytes for f32, 1 byte for v128 rows that may be unaligned. */
  f32Load: (offset = 0): number[] => [0x2a, ...u32(2), ...u32(offset)],
  f32Store: (offset = 0): number[] => [0x38, ...u32(2), ...u32(offset)],
  i32LtU: (): number[] => [0x49],
  i32GeU: (): number[] => [0x4f],
  i32Add: (): number[] => [0x6a],
  i32And: (): number[] => [0x71],
  i32Shl: (): number[] => [0x74],
  f32Add: (): number[] => [0x92],
  f32Mul: (): number[] => [0x94],
  v128Load: (offset = 0): number[] => [0xfd, ...u32(0x00), ...u32(0), ...u32(offset)],
  f32x4Splat: (): number[] => [0xfd, ...u32(0x13)],
  f32x4ExtractLane: (lane: number): number[] => [0xfd, ...u32(0x1f), lane],
  f32x4Add: (): number[] => [0xfd, ...u32(0xe4)],
  f32x4Mul: (): number[] => [0xfd, ...u32(0xe6)],
};

// Locals: parameters first, then the declared locals, in dot.wat's order.
const Q = 0;
const M = 1;
const ROWS = 2;
const DIM = 3;
const OUT = 4;
const R = 5;
const P = 6;
const J = 7;
const END16 = 8;
const END4 = 9;
const ENDD = 10;
const ROW_BYTES = 11;
const SUM = 12;
const A = [13, 14, 15, 16] as const;

/** `acc += load(p + j + offset) * load(q + j + offset)`, four lanes at a time. */
function simdStep(acc: number, offset: number): number[] {
  return [
    ...op.get(acc),
    ...op.get(P),
    ...op.get(J),
    ...op.i32Add(),
    ...op.v128Load(offset),
    ...op.get(Q),
    ...op.get(J),
    ...op.i32Add(),
    ...op.v128Load(offset),
    ...op.f32x4Mul(),
    ...op.f32x4Add(),
    ...op.set(acc),
  ];
}

/** `j += step; br_if (j < end)` closing a loop, wrapped in a block that skips it when `j >= end`. */
function countedLoop(end: number, step: number, body: number[]): number[] {
  return [
    ...op.block(),
    ...op.get(J),
    ...op.get(end),
    ...op.i32GeU(),
    ...op.brIf(0),
    ...op.loop(),
    ...body,
    ...op.get(J),
    ...op.i32Const(step),
    ...op.i32Add(),
    ...op.set(J),
    ...op.get(J),
    ...op.get(end),
    ...op.i32LtU(),
    ...op.brIf(0),
    ...op.end(),
    ...op.end(),
  ];
}

/** The body of `scores` (see dot.wat), without the locals declaration. */
function kernelBody(): number[] {
  const bytesOf = (mask: number, target: number) => [
    ...op.get(DIM),
    ...op.i32Const(mask),
    ...op.i32And(),
    ...op.i32Const(2),
    ...op.i32Shl(),
    ...op.set(target),
  ];
  const zero = (acc: number) => [...op.f32Const0(), ...op.f32x4Splat(), ...op.set(acc)];
  const lane = (i: number) => [...op.get(A[0]), ...op.f32x4ExtractLane(i)];
  const scalarStep = [
    ...op.get(SUM),
    ...op.get(P),
    ...op.get(J),
    ...op.i32Add(),
    ...op.f32Load(),
    ...op.get(Q),
    ...op.get(J),
    ...op.i32Add(),
    ...op.f32Load(),
    ...op.f32Mul(),
    ...op.f32Add(),
    ...op.set(SUM),
  ];
  const row = [
    ...A.flatMap(zero),
    ...op.i32Const(0),
    ...op.set(J),
    ...countedLoop(END16, 64, [
      ...simdStep(A[0], 0),
      ...simdStep(A[1], 16),
      ...simdStep(A[2], 32),
      ...simdStep(A[3], 48),
    ]),
    ...countedLoop(END4, 16, simdStep(A[0], 0)),
    // a0 = (a0 + a1) + (a2 + a3); sum = (l0 + l1) + (l2 + l3)
    ...op.get(A[0]),
    ...op.get(A[1]),
    ...op.f32x4Add(),
    ...op.get(A[2]),
    ...op.get(A[3]),
    ...op.f32x4Add(),
    ...op.f32x4Add(),
    ...op.set(A[0]),
    ...lane(0),
    ...lane(1),
    ...op.f32Add(),
    ...lane(2),
    ...lane(3),
    ...op.f32Add(),
    ...op.f32Add(),
    ...op.set(SUM),
    ...countedLoop(ENDD, 4, scalarStep),
    // out[r] = sum
    ...op.get(OUT),
    ...op.get(R),
    ...op.i32Const(2),
    ...op.i32Shl(),
    ...op.i32Add(),
    ...op.get(SUM),
    ...op.f32Store(),
    // p += rowBytes; r += 1
    ...op.get(P),
    ...op.get(ROW_BYTES),
    ...op.i32Add(),
    ...op.set(P),
    ...op.get(R),
    ...op.i32Const(1),
    ...op.i32Add(),
    ...op.set(R),
  ];
  return [
    ...bytesOf(-16, END16),
    ...bytesOf(-4, END4),
    ...op.get(DIM),
    ...op.i32Const(2),
    ...op.i32Shl(),
    ...op.set(ENDD),
    ...op.get(ENDD),
    ...op.set(ROW_BYTES),
    ...op.get(M),
    ...op.set(P),
    ...op.block(),
    ...op.get(R),
    ...op.get(ROWS),
    ...op.i32GeU(),
    ...op.brIf(0),
    ...op.loop(),
    ...row,
    ...op.get(R),
    ...op.get(ROWS),
    ...op.i32LtU(),
    ...op.brIf(0),
    ...op.end(),
    ...op.end(),
  ];
}

/** The whole kernel module, byte for byte. */
export function encodeDotModule(): Uint8Array<ArrayBuffer> {
  const typeSec = section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), ...vec([])]]));
  const funcSec = section(3, vec([u32(0)]));
  // limits: flag 0 = min only (1 page); the host grows it to fit the matrix.
  const memSec = section(5, vec([[0x00, ...u32(1)]]));
  const exportSec = section(
    7,
    vec([
      [...name('memory'), 0x02, ...u32(0)],
      [...name('scores'), 0x00, ...u32(0)],
    ]),
  );
  const locals = vec([
    [...u32(7), I32],
    [...u32(1), F32],
    [...u32(4), V128],
  ]);
  const body = [...locals, ...kernelBody(), ...op.end()];
  const codeSec = section(10, vec([[...u32(body.length), ...body]]));
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d], // "\0asm"
    ...[0x01, 0x00, 0x00, 0x00], // version 1
    ...typeSec,
    ...funcSec,
    ...memSec,
    ...exportSec,
    ...codeSec,
  ]);
}

/** The TypeScript source of `dot-wasm.ts` for `bytes`. */
export function renderDotWasmModule(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  return `// Generated by packages/core/scripts/build-wasm.ts from dot.wat; do not edit.
// Regenerate with \`npx tsx packages/core/scripts/build-wasm.ts\`.

/** The dense-search kernel (dot.wat), as a WebAssembly binary in base64. */
export const DOT_WASM_BASE64 =
  '${b64}';
`;
}

/** Where the generated module lives. */
export const DOT_WASM_TS = fileURLToPath(new URL('../src/store/dense/dot-wasm.ts', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = encodeDotModule();
  if (!WebAssembly.validate(bytes)) throw new Error('build-wasm: the encoded kernel does not validate');
  await writeFile(DOT_WASM_TS, renderDotWasmModule(bytes));
  console.log(`wrote ${DOT_WASM_TS} (${bytes.length} bytes of wasm)`);
}
