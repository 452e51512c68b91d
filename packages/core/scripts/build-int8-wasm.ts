/**
 * Regenerates `src/store/dense/int8-wasm.ts`, the compiled bytes of the int8 dense-search
 * kernel `src/store/dense/int8.wat`.
 *
 *   npx tsx packages/core/scripts/build-int8-wasm.ts
 *
 * Encoded by hand with `wasm-encoding.ts`, like the float32 kernel; the instruction list in {@link int8Body} follows `int8.wat` line
 * by line, and a test checks the committed bytes equal {@link encodeInt8Module}'s output.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  encodeModule,
  I32,
  I64,
  countedLoop as loopOver,
  loopWhileBelow,
  op,
  renderWasmModule,
  V128,
} from './wasm-encoding.js';

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

/** A loop over `counter` (default `j`) up to `end` in steps of `step`. */
const countedLoop = (end: number, step: number, body: number[], counter = J): number[] =>
  loopOver(counter, end, step, body);

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
  return [...mask(-64, END64), ...mask(-16, END16), ...op.get(M), ...op.set(P), ...loopWhileBelow(R, ROWS, row)];
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
  return encodeModule([
    {
      name: 'scores',
      params: [I32, I32, I32, I32, I32, I32],
      locals: [
        [6, I32],
        [4, V128],
      ],
      body: int8Body(),
    },
    { name: 'signs', params: [I32, I32, I32], locals: [[1, I32]], body: signsBody() },
    {
      name: 'hamming',
      params: [I32, I32, I32, I32, I32],
      locals: [
        [3, I32],
        [1, I64],
      ],
      body: hammingBody(),
    },
  ]);
}

/** The TypeScript source of `int8-wasm.ts` for `bytes`. */
export function renderInt8WasmModule(bytes: Uint8Array): string {
  return renderWasmModule(bytes, {
    script: 'build-int8-wasm.ts',
    wat: 'int8.wat',
    what: 'int8 dense-search kernel',
    constName: 'INT8_WASM_BASE64',
  });
}

/** Where the generated module lives. */
export const INT8_WASM_TS = fileURLToPath(new URL('../src/store/dense/int8-wasm.ts', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = encodeInt8Module();
  if (!WebAssembly.validate(bytes)) throw new Error('build-int8-wasm: the encoded kernel does not validate');
  await writeFile(INT8_WASM_TS, renderInt8WasmModule(bytes));
  console.log(`wrote ${INT8_WASM_TS} (${bytes.length} bytes of wasm)`);
}
