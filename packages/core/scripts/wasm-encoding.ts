/**
 * A tiny WebAssembly binary encoder: just the sections and opcodes the two dense-search
 * kernels need (`build-wasm.ts` for `dot.wat`, `build-int8-wasm.ts` for `int8.wat`).
 *
 * There is no WAT compiler (wabt) on this machine and no new packages may be installed,
 * so the kernels are encoded by hand. Tests check that the committed modules equal the
 * scripts' output byte for byte, so any change here that moves a byte fails them.
 *
 * Binary format reference: https://webassembly.github.io/spec/core/binary/ and the SIMD
 * proposal's opcode table (0xFD prefix, LEB128-encoded sub-opcode).
 */

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

/** A name: its UTF-8 byte count, then the bytes. */
export function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...u32(bytes.length), ...bytes];
}

/** A section: id, byte size, contents. */
export function section(id: number, contents: number[]): number[] {
  return [id, ...u32(contents.length), ...contents];
}

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const V128 = 0x7b;
export const VOID_BLOCK = 0x40;

const simd = (sub: number): number[] => [0xfd, ...u32(sub)];

/**
 * The opcodes the kernels use, by their WAT names. A memarg is log2(alignment), then the
 * offset; v128 loads and 16-bit stores hint 1-byte alignment because rows need not be
 * 16-byte aligned (dimensions not divisible by 16).
 */
export const op = {
  block: (): number[] => [0x02, VOID_BLOCK],
  loop: (): number[] => [0x03, VOID_BLOCK],
  end: (): number[] => [0x0b],
  brIf: (depth: number): number[] => [0x0d, ...u32(depth)],
  get: (local: number): number[] => [0x20, ...u32(local)],
  set: (local: number): number[] => [0x21, ...u32(local)],
  tee: (local: number): number[] => [0x22, ...u32(local)],
  i32Const: (n: number): number[] => [0x41, ...s32(n)],
  i64Const0: (): number[] => [0x42, 0x00],
  f32Const0: (): number[] => [0x43, 0, 0, 0, 0],
  i64Load: (): number[] => [0x29, ...u32(0), ...u32(0)],
  f32Load: (offset = 0): number[] => [0x2a, ...u32(2), ...u32(offset)],
  i32Load8S: (): number[] => [0x2c, ...u32(0), ...u32(0)],
  i32Store: (): number[] => [0x36, ...u32(2), ...u32(0)],
  f32Store: (offset = 0): number[] => [0x38, ...u32(2), ...u32(offset)],
  i32Store16: (): number[] => [0x3b, ...u32(0), ...u32(0)],
  i32LtU: (): number[] => [0x49],
  i32GeU: (): number[] => [0x4f],
  i32Add: (): number[] => [0x6a],
  i32Mul: (): number[] => [0x6c],
  i32And: (): number[] => [0x71],
  i32Shl: (): number[] => [0x74],
  i32Shr: (): number[] => [0x76],
  i64Popcnt: (): number[] => [0x7b],
  i64Add: (): number[] => [0x7c],
  i64Xor: (): number[] => [0x85],
  f32Add: (): number[] => [0x92],
  f32Mul: (): number[] => [0x94],
  i32WrapI64: (): number[] => [0xa7],
  f32ConvertI32S: (): number[] => [0xb2],
  v128Load: (offset = 0): number[] => [...simd(0x00), ...u32(0), ...u32(offset)],
  i32x4Splat: (): number[] => simd(0x11),
  f32x4Splat: (): number[] => simd(0x13),
  i32x4ExtractLane: (lane: number): number[] => [...simd(0x1b), lane],
  f32x4ExtractLane: (lane: number): number[] => [...simd(0x1f), lane],
  i8x16Bitmask: (): number[] => simd(0x64),
  i32x4ExtaddPairwiseI16x8S: (): number[] => simd(0x7e),
  i16x8Add: (): number[] => simd(0x8e),
  i16x8ExtmulLowI8x16S: (): number[] => simd(0x9c),
  i16x8ExtmulHighI8x16S: (): number[] => simd(0x9d),
  i32x4Add: (): number[] => simd(0xae),
  f32x4Add: (): number[] => simd(0xe4),
  f32x4Mul: (): number[] => simd(0xe6),
};

/**
 * `body` repeated while local `counter < end` (both unsigned), wrapped in a block that skips
 * it when `counter >= end` from the start. `body` advances `counter` itself.
 */
export function loopWhileBelow(counter: number, end: number, body: number[]): number[] {
  return [
    ...op.block(),
    ...op.get(counter),
    ...op.get(end),
    ...op.i32GeU(),
    ...op.brIf(0),
    ...op.loop(),
    ...body,
    ...op.get(counter),
    ...op.get(end),
    ...op.i32LtU(),
    ...op.brIf(0),
    ...op.end(),
    ...op.end(),
  ];
}

/** {@link loopWhileBelow} with `counter += step` after each `body`. */
export function countedLoop(counter: number, end: number, step: number, body: number[]): number[] {
  return loopWhileBelow(counter, end, [
    ...body,
    ...op.get(counter),
    ...op.i32Const(step),
    ...op.i32Add(),
    ...op.set(counter),
  ]);
}

/** One exported function of a kernel module: its parameter types, local declarations and body. */
export interface KernelFunction {
  name: string;
  params: number[];
  /** `[count, type]` runs, in declaration order. */
  locals: Array<[number, number]>;
  /** The instructions, without the final `end`. */
  body: number[];
}

/**
 * A whole module: one memory (exported as `memory`, 1 page at the start; the host grows it to
 * fit the matrix) and `functions`, each with its own type, exported under its name.
 */
export function encodeModule(functions: KernelFunction[]): Uint8Array<ArrayBuffer> {
  const typeSec = section(1, vec(functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec([])])));
  const funcSec = section(3, vec(functions.map((_, i) => u32(i))));
  // limits: flag 0 = min only (1 page).
  const memSec = section(5, vec([[0x00, ...u32(1)]]));
  const exportSec = section(
    7,
    vec([[...name('memory'), 0x02, ...u32(0)], ...functions.map((f, i) => [...name(f.name), 0x00, ...u32(i)])]),
  );
  const bodies = functions.map((f) => {
    const code = [...vec(f.locals.map(([count, type]) => [...u32(count), type])), ...f.body, ...op.end()];
    return [...u32(code.length), ...code];
  });
  const codeSec = section(10, vec(bodies));
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

/** The TypeScript source of a generated module file: `bytes` in base64 as `constName`. */
export function renderWasmModule(
  bytes: Uint8Array,
  o: { script: string; wat: string; what: string; constName: string },
): string {
  const b64 = Buffer.from(bytes).toString('base64');
  return `// Generated by packages/core/scripts/${o.script} from ${o.wat}; do not edit.
// Regenerate with \`npx tsx packages/core/scripts/${o.script}\`.

/** The ${o.what} (${o.wat}), as a WebAssembly binary in base64. */
export const ${o.constName} =
  '${b64}';
`;
}
