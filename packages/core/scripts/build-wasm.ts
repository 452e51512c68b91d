/**
 * Regenerates `src/store/dense/dot-wasm.ts`, the compiled bytes of the dense-search
 * kernel `src/store/dense/dot.wat`.
 *
 *   npx tsx packages/core/scripts/build-wasm.ts
 *
 * Encoded by hand with `wasm-encoding.ts` (there is no WAT compiler here). The
 * instruction list in {@link kernelBody} follows `dot.wat` line by line; a test checks
 * that the committed bytes equal {@link encodeDotModule}'s output and that the kernel
 * computes the same scores as a plain JS dot product.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  encodeModule,
  F32,
  I32,
  countedLoop as loopOver,
  loopWhileBelow,
  op,
  renderWasmModule,
  V128,
} from './wasm-encoding.js';

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

/** A loop over `j` up to `end` in steps of `step`. */
const countedLoop = (end: number, step: number, body: number[]): number[] => loopOver(J, end, step, body);

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
    ...loopWhileBelow(R, ROWS, row),
  ];
}

/** The whole kernel module, byte for byte. */
export function encodeDotModule(): Uint8Array<ArrayBuffer> {
  return encodeModule([
    {
      name: 'scores',
      params: [I32, I32, I32, I32, I32],
      locals: [
        [7, I32],
        [1, F32],
        [4, V128],
      ],
      body: kernelBody(),
    },
  ]);
}

/** The TypeScript source of `dot-wasm.ts` for `bytes`. */
export function renderDotWasmModule(bytes: Uint8Array): string {
  return renderWasmModule(bytes, {
    script: 'build-wasm.ts',
    wat: 'dot.wat',
    what: 'dense-search kernel',
    constName: 'DOT_WASM_BASE64',
  });
}

/** Where the generated module lives. */
export const DOT_WASM_TS = fileURLToPath(new URL('../src/store/dense/dot-wasm.ts', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = encodeDotModule();
  if (!WebAssembly.validate(bytes)) throw new Error('build-wasm: the encoded kernel does not validate');
  await writeFile(DOT_WASM_TS, renderDotWasmModule(bytes));
  console.log(`wrote ${DOT_WASM_TS} (${bytes.length} bytes of wasm)`);
}
