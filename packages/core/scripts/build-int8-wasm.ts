/**
 * Regenerates `src/store/dense/int8-wasm.ts`, the compiled bytes of the int8 dense-search
 * kernel `src/store/dense/int8.wat`.
 *
 *   npx tsx packages/core/scripts/build-int8-wasm.ts
 *
 * Encoded by hand like the float32 kernel (see build-wasm.ts, whose LEB128 and section
 * helpers this reuses); the instruction list in {@link int8Body} follows `int8.wat` line
 * by line, and a test checks the committed bytes equal {@link encodeInt8Module}'s output.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { I32, name, s32, section, u32, V128, VOID_BLOCK, vec } from './build-wasm.js';

const simd = (sub: number): number[] => [0xfd, ...u32(sub)];

const op = {
  block: (): number[] => [0x02, VOID_BLOCK],
  loop: (): number[] => [0x03, VOID_BLOCK],
  end: (): number[] => [0x0b],
  brIf: (depth: number): number[] => [0x0d, ...u32(depth)],
  get: (local: number): number[] => [0x20, ...u32(local)],
  set: (local: number): number[] => [0x21, ...u32(local)],
  i32Const: (n: number): number[] => [0x41, ...s32(n)],
  /** memarg = log2(alignment), offset. */
  f32Load: (): number[] => [0x2a, ...u32(2), ...u32(0)],
  f32Store: (): number[] => [0x38, ...u32(2), ...u32(0)],
  i32Load8S: (): number[] => [0x2c, ...u32(0), ...u32(0)],
  i32LtU: (): number[] => [0x49],
  i32GeU: (): number[] => [0x4f],
  i32Add: (): number[] => [0x6a],
  i32Mul: (): number[] => [0x6c],
  i32And: (): number[] => [0x71],
  i32Shl: (): number[] => [0x74],
  i32Shr: (): number[] => [0x76],
  f32Mul: (): number[] => [0x94],
  f32ConvertI32S: (): number[] => [0xb2],
  tee: (local: number): number[] => [0x22, ...u32(local)],
  /** Alignment hint 1 byte: rows need not be 16-byte aligned (dims not divisible by 16). */
  v128Load: (offset: number): number[] => [...simd(0x00), ...u32(0), ...u32(offset)],
  i32x4Splat: (): number[] => simd(0x11),
  i32x4ExtractLane: (lane: number): number[] => [...simd(0x1b), lane],
  i32x4ExtaddPairwiseI16x8S: (): number[] => simd(0x7e),
  i16x8Add: (): number[] => simd(0x8e),
  i16x8ExtmulLowI8x16S: (): number[] => simd(0x9c),
  i16x8ExtmulHighI8x16S: (): number[] => simd(0x9d),
  i32x4Add: (): number[] => simd(0xae),
  i8x16Bitmask: (): number[] => simd(0x64),
  i32Store: (): number[] => [0x36, ...u32(2), ...u32(0)],
  /** Alignment hint 1 byte, like v128Load. */
  i32Store16: (): number[] => [0x3b, ...u32(0), ...u32(0)],
  i64Load: (): number[] => [0x29, ...u32(0), ...u32(0)],
  i64Xor: (): number[] => [0x85],
  i64Popcnt: (): number[] => [0x7b],
  i64Add: (): number[] => [0x7c],
  i64Const0: (): number[] => [0x42, 0x00],
  i32WrapI64: (): number[] => [0xa7],
};

const I64 = 0x7e;

// Locals: parameters first, then the declared locals, in int8.wat's order.
const Q = 0;
const M = 1;
const ROWS = 2;
const DIM = 3;
const SCALE = 4;
const OUT = 5;
const R = 6;
const P = 7;
const J = 8;
const END64 = 9;
const END16 = 10;
const SUM = 11;
const A = 12;
const B = 13;
const ACC0 = 14;
const ACC1 = 15;

/** A loop over `counter` (default `j`) while `counter < end`, `counter += step` after each `body`, skipped when `counter >= end`. */
function countedLoop(end: number, step: number, body: number[], counter = J): number[] {
  return [
    ...op.block(),
    ...op.get(counter),
    ...op.get(end),
    ...op.i32GeU(),
    ...op.brIf(0),
    ...op.loop(),
    ...body,
    ...op.get(counter),
    ...op.i32Const(step),
    ...op.i32Add(),
    ...op.set(counter),
    ...op.get(counter),
    ...op.get(end),
    ...op.i32LtU(),
    ...op.brIf(0),
    ...op.end(),
    ...op.end(),
  ];
}

/** One 16-byte step: `acc += widen(extmul_low(a, b) + extmul_high(a, b))`, a and b loaded at `offset`. */
function step(acc: number, offset: number): number[] {
  return [
    ...op.get(acc),
    ...op.get(P),
    ...op.get(J),
    ...op.i32Add(),
    ...op.v128Load(offset),
    ...op.tee(A),
    ...op.get(Q),
    ...op.get(J),
    ...op.i32Add(),
    ...op.v128Load(offset),
    ...op.tee(B),
    ...op.i16x8ExtmulLowI8x16S(),
    ...op.get(A),
    ...op.get(B),
    ...op.i16x8ExtmulHighI8x16S(),
    ...op.i16x8Add(),
    ...op.i32x4ExtaddPairwiseI16x8S(),
    ...op.i32x4Add(),
    ...op.set(acc),
  ];
}

/** The body of `scores` (see int8.wat), without the locals declaration. */
function int8Body(): number[] {
  const lane = (i: number) => [...op.get(ACC0), ...op.i32x4ExtractLane(i)];
  const rowOffset = (base: number) => [
    ...op.get(base),
    ...op.get(R),
    ...op.i32Const(2),
    ...op.i32Shl(),
    ...op.i32Add(),
  ];
  const zero = (acc: number) => [...op.i32Const(0), ...op.i32x4Splat(), ...op.set(acc)];
  const row = [
    ...zero(ACC0),
    ...zero(ACC1),
    ...op.i32Const(0),
    ...op.set(J),
    ...countedLoop(END64, 64, [...step(ACC0, 0), ...step(ACC1, 16), ...step(ACC0, 32), ...step(ACC1, 48)]),
    ...countedLoop(END16, 16, step(ACC0, 0)),
    ...op.get(ACC0),
    ...op.get(ACC1),
    ...op.i32x4Add(),
    ...op.set(ACC0),
    ...lane(0),
    ...lane(1),
    ...op.i32Add(),
    ...lane(2),
    ...lane(3),
    ...op.i32Add(),
    ...op.i32Add(),
    ...op.set(SUM),
    ...countedLoop(DIM, 1, [
      ...op.get(SUM),
      ...op.get(P),
      ...op.get(J),
      ...op.i32Add(),
      ...op.i32Load8S(),
      ...op.get(Q),
      ...op.get(J),
      ...op.i32Add(),
      ...op.i32Load8S(),
      ...op.i32Mul(),
      ...op.i32Add(),
      ...op.set(SUM),
    ]),
    ...rowOffset(OUT),
    ...op.get(SUM),
    ...op.f32ConvertI32S(),
    ...rowOffset(SCALE),
    ...op.f32Load(),
    ...op.f32Mul(),
    ...op.f32Store(),
    ...op.get(P),
    ...op.get(DIM),
    ...op.i32Add(),
    ...op.set(P),
    ...op.get(R),
    ...op.i32Const(1),
    ...op.i32Add(),
    ...op.set(R),
  ];
  const mask = (m: number, target: number) => [...op.get(DIM), ...op.i32Const(m), ...op.i32And(), ...op.set(target)];
  return [
    ...mask(-64, END64),
    ...mask(-16, END16),
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

// `signs(m, bytes, out)` locals: parameters, then the offset i.
const S_M = 0;
const S_BYTES = 1;
const S_OUT = 2;
const S_I = 3;

/** The body of `signs` (see int8.wat): the sign bits of every 16 codes as 2 bytes of `out` (byte i of the codes is bit i of `out`). */
function signsBody(): number[] {
  return countedLoop(
    S_BYTES,
    16,
    [
      ...op.get(S_OUT),
      ...op.get(S_I),
      ...op.i32Const(3),
      ...op.i32Shr(),
      ...op.i32Add(),
      ...op.get(S_M),
      ...op.get(S_I),
      ...op.i32Add(),
      ...op.v128Load(0),
      ...op.i8x16Bitmask(),
      ...op.i32Store16(),
    ],
    S_I,
  );
}

// `hamming(q, bits, rows, words, out)` locals: parameters, then r, w, p and the i64 sum.
const H_Q = 0;
const H_BITS = 1;
const H_ROWS = 2;
const H_WORDS = 3;
const H_OUT = 4;
const H_R = 5;
const H_W = 6;
const H_P = 7;
const H_SUM = 8;

/** The body of `hamming` (see int8.wat): per row, the popcount of its words xor the query's. */
function hammingBody(): number[] {
  const wordAt = (base: number) => [
    ...op.get(base),
    ...op.get(H_W),
    ...op.i32Const(3),
    ...op.i32Shl(),
    ...op.i32Add(),
    ...op.i64Load(),
  ];
  const body = [
    ...op.i64Const0(),
    ...op.set(H_SUM),
    ...op.i32Const(0),
    ...op.set(H_W),
    ...countedLoop(
      H_WORDS,
      1,
      [
        ...op.get(H_SUM),
        ...wordAt(H_Q),
        ...wordAt(H_P),
        ...op.i64Xor(),
        ...op.i64Popcnt(),
        ...op.i64Add(),
        ...op.set(H_SUM),
      ],
      H_W,
    ),
    ...op.get(H_OUT),
    ...op.get(H_R),
    ...op.i32Const(2),
    ...op.i32Shl(),
    ...op.i32Add(),
    ...op.get(H_SUM),
    ...op.i32WrapI64(),
    ...op.i32Store(),
    ...op.get(H_P),
    ...op.get(H_WORDS),
    ...op.i32Const(3),
    ...op.i32Shl(),
    ...op.i32Add(),
    ...op.set(H_P),
  ];
  return [...op.get(H_BITS), ...op.set(H_P), ...countedLoop(H_ROWS, 1, body, H_R)];
}

/** The whole int8 kernel module, byte for byte. */
export function encodeInt8Module(): Uint8Array<ArrayBuffer> {
  const typeSec = section(
    1,
    vec([
      [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([])],
      [0x60, ...vec([[I32], [I32], [I32]]), ...vec([])],
      [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), ...vec([])],
    ]),
  );
  const funcSec = section(3, vec([u32(0), u32(1), u32(2)]));
  const memSec = section(5, vec([[0x00, ...u32(1)]]));
  const exportSec = section(
    7,
    vec([
      [...name('memory'), 0x02, ...u32(0)],
      [...name('scores'), 0x00, ...u32(0)],
      [...name('signs'), 0x00, ...u32(1)],
      [...name('hamming'), 0x00, ...u32(2)],
    ]),
  );
  const locals = vec([
    [...u32(6), I32],
    [...u32(4), V128],
  ]);
  const body = [...locals, ...int8Body(), ...op.end()];
  const signs = [...vec([[...u32(1), I32]]), ...signsBody(), ...op.end()];
  const hamming = [
    ...vec([
      [...u32(3), I32],
      [...u32(1), I64],
    ]),
    ...hammingBody(),
    ...op.end(),
  ];
  const codeSec = section(10, vec([body, signs, hamming].map((b) => [...u32(b.length), ...b])));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...typeSec,
    ...funcSec,
    ...memSec,
    ...exportSec,
    ...codeSec,
  ]);
}

/** The TypeScript source of `int8-wasm.ts` for `bytes`. */
export function renderInt8WasmModule(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  return `// Generated by packages/core/scripts/build-int8-wasm.ts from int8.wat; do not edit.
// Regenerate with \`npx tsx packages/core/scripts/build-int8-wasm.ts\`.

/** The int8 dense-search kernel (int8.wat), as a WebAssembly binary in base64. */
export const INT8_WASM_BASE64 =
  '${b64}';
`;
}

/** Where the generated module lives. */
export const INT8_WASM_TS = fileURLToPath(new URL('../src/store/dense/int8-wasm.ts', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = encodeInt8Module();
  if (!WebAssembly.validate(bytes)) throw new Error('build-int8-wasm: the encoded kernel does not validate');
  await writeFile(INT8_WASM_TS, renderInt8WasmModule(bytes));
  console.log(`wrote ${INT8_WASM_TS} (${bytes.length} bytes of wasm)`);
}
