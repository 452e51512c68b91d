/**
 * Compiling and instantiating the dense kernels (dot.wat, int8.wat), shared by
 * `kernel.ts` and `int8.ts`.
 */

const PAGE = 65_536;

/** `n` rounded up to a multiple of 16: SIMD loads want 16-byte aligned buffers. */
export const align16 = (n: number): number => Math.ceil(n / 16) * 16;

/**
 * A compile-once getter for a kernel shipped as base64: the module, or null when this
 * runtime has no WebAssembly SIMD. Synchronous (Node has no size limit on sync compilation
 * and the kernels are under 1 KB), so `IndexReader.denseSearch` can stay synchronous.
 */
export function lazyModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      const bytes = Buffer.from(base64, 'base64');
      compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    }
    return compiled;
  };
}

/**
 * A fresh instance of `mod` whose memory holds at least `bytes`, grown once, now: growing
 * later would detach every view handed out. Null past what wasm32 memory can hold (about
 * 4 GB), where the caller scans in JS instead.
 *
 * `E` is the kernel's export section, which its build script fixes (memory plus functions).
 */
export function instantiateWithMemory<E extends { memory: WebAssembly.Memory }>(
  mod: WebAssembly.Module,
  bytes: number,
): E | null {
  // Safe: the module's export section is fixed by its build script (scripts/build-*wasm.ts).
  const exports = new WebAssembly.Instance(mod, {}).exports as unknown as E;
  const pages = Math.ceil(bytes / PAGE);
  try {
    const have = exports.memory.buffer.byteLength / PAGE;
    if (pages > have) exports.memory.grow(pages - have);
    return exports;
  } catch {
    return null;
  }
}
