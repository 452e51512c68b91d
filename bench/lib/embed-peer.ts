/**
 * newsrag's embedding throughput against sentence-transformers' (PyTorch, CPU) on the
 * same texts and thread count: the side-by-side rows and the floors (newsrag fp32
 * ≥ 1.0× sentence-transformers' texts/s at batch 32, q8 ≥ 1.5×). Pure functions.
 */
import { atLeast, type FloorCheck } from './floors.js';

/** The batch size the floors are checked at, and the floors themselves. */
export const PEER_FLOOR_BATCH = 32;
export const PEER_FLOORS = { fp32: 1.0, q8: 1.5 } as const;

/** One batch size: texts/s of each side and newsrag / peer. */
export interface PeerRow {
  batchSize: number;
  fp32?: number;
  q8?: number;
  peer?: number;
  fp32Ratio?: number;
  q8Ratio?: number;
}

/** `a / b`, or undefined when either is missing or b is not positive. */
export function speedRatio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return undefined;
  return a / b;
}

/**
 * Joins newsrag's texts/s (per dtype and batch) with the peer's (per batch) on every batch
 * size either side measured, in ascending order.
 */
export function comparePeer(
  ours: ReadonlyArray<{ dtype: 'fp32' | 'q8'; batchSize: number; textsPerSecond: number }>,
  peer: ReadonlyArray<{ batchSize: number; textsPerSecond: number }>,
): PeerRow[] {
  const sizes = [...new Set([...ours.map((r) => r.batchSize), ...peer.map((r) => r.batchSize)])].sort((a, b) => a - b);
  return sizes.map((batchSize) => {
    const fp32 = ours.find((r) => r.dtype === 'fp32' && r.batchSize === batchSize)?.textsPerSecond;
    const q8 = ours.find((r) => r.dtype === 'q8' && r.batchSize === batchSize)?.textsPerSecond;
    const p = peer.find((r) => r.batchSize === batchSize)?.textsPerSecond;
    const row: PeerRow = { batchSize };
    if (fp32 !== undefined) row.fp32 = fp32;
    if (q8 !== undefined) row.q8 = q8;
    if (p !== undefined) row.peer = p;
    const fr = speedRatio(fp32, p);
    const qr = speedRatio(q8, p);
    if (fr !== undefined) row.fp32Ratio = fr;
    if (qr !== undefined) row.q8Ratio = qr;
    return row;
  });
}

/**
 * The two floors at batch 32 for `model`; NOT RUN (with `why`) when the comparison is
 * missing, e.g. the model is not cached or the peer could not be installed.
 */
export function peerFloors(model: string, rows: readonly PeerRow[] | undefined, why?: string): FloorCheck[] {
  const at = rows?.find((r) => r.batchSize === PEER_FLOOR_BATCH);
  const note = at ? 'newsrag texts/s ÷ sentence-transformers (PyTorch fp32, CPU) texts/s, same texts and threads' : why;
  return (['fp32', 'q8'] as const).map((dtype) =>
    atLeast(
      `embedding speed vs sentence-transformers at batch ${PEER_FLOOR_BATCH} (${model} ${dtype})`,
      dtype === 'fp32' ? at?.fp32Ratio : at?.q8Ratio,
      PEER_FLOORS[dtype],
      '×',
      { decimals: 2, ...(note ? { note } : {}) },
    ),
  );
}
