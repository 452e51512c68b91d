/** Symmetric int8 quantisation of weights, as onnxruntime's `quantize_dynamic` writes them. */

/** A tensor quantised with one scale per row (zero point 0). */
export interface RowQuantized {
  values: Int8Array;
  scales: Float32Array;
  zeroPoints: Int8Array;
}

/** A tensor quantised with one scale for all of it (zero point 0). */
export interface TensorQuantized {
  values: Int8Array;
  scale: number;
}

/** The scale that maps [-maxAbs, maxAbs] onto [-127, 127]; 1 for an all-zero block so nothing divides by 0. */
export function symmetricScale(maxAbs: number): number {
  return maxAbs > 0 ? maxAbs / 127 : 1;
}

/** Quantises a row-major `rows × cols` matrix with a scale per row (for `DequantizeLinear` axis 0). */
export function quantizeRows(data: Float32Array, rows: number, cols: number): RowQuantized {
  if (data.length !== rows * cols) throw new RangeError(`quantizeRows: ${data.length} values is not ${rows}×${cols}`);
  const values = new Int8Array(data.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let maxAbs = 0;
    for (let c = 0; c < cols; c++) maxAbs = Math.max(maxAbs, Math.abs(data[r * cols + c] ?? 0));
    // Quantise with the float32 scale actually stored, so dequantisation matches exactly.
    const scale = Math.fround(symmetricScale(maxAbs));
    scales[r] = scale;
    for (let c = 0; c < cols; c++) values[r * cols + c] = clampInt8((data[r * cols + c] ?? 0) / scale);
  }
  return { values, scales, zeroPoints: new Int8Array(rows) };
}

/**
 * Quantises a row-major `rows × cols` matrix with a scale per column: the weight side of
 * `MatMulInteger` when each output feature keeps its own range (more exact than one scale).
 */
export function quantizeColumns(data: Float32Array, rows: number, cols: number): RowQuantized {
  if (data.length !== rows * cols)
    throw new RangeError(`quantizeColumns: ${data.length} values is not ${rows}×${cols}`);
  const maxAbs = new Float64Array(cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) maxAbs[c] = Math.max(maxAbs[c] ?? 0, Math.abs(data[r * cols + c] ?? 0));
  const scales = Float32Array.from(maxAbs, (m) => Math.fround(symmetricScale(m)));
  const values = new Int8Array(data.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) values[r * cols + c] = clampInt8((data[r * cols + c] ?? 0) / (scales[c] ?? 1));
  return { values, scales, zeroPoints: new Int8Array(cols) };
}

/** Quantises a whole tensor with one scale (the weight side of `MatMulInteger`). */
export function quantizeTensor(data: Float32Array): TensorQuantized {
  let maxAbs = 0;
  for (const v of data) maxAbs = Math.max(maxAbs, Math.abs(v));
  const scale = Math.fround(symmetricScale(maxAbs));
  const values = new Int8Array(data.length);
  for (let i = 0; i < data.length; i++) values[i] = clampInt8((data[i] ?? 0) / scale);
  return { values, scale };
}

function clampInt8(x: number): number {
  return Math.max(-127, Math.min(127, Math.round(x)));
}
