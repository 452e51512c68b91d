/** One forward pass: which inputs (by original index) and their token ids. */
export interface TokenBatch {
  /** Original positions of the texts in this batch. */
  indices: number[];
  /** Token ids per text, already truncated. */
  ids: number[][];
  /** Longest sequence in the batch: every row is padded to it. */
  seqLen: number;
}

/**
 * Cuts token ids to at most `maxTokens`, keeping the final special token (e.g. [SEP])
 * as the Python tokenizers do, so a truncated input still ends the way the model saw
 * during training.
 */
export function truncateIds(ids: readonly number[], maxTokens: number, keepLast: boolean): number[] {
  if (ids.length <= maxTokens) return ids as number[];
  if (!keepLast || maxTokens < 2) return ids.slice(0, maxTokens);
  const out = ids.slice(0, maxTokens - 1);
  out.push(ids[ids.length - 1] as number);
  return out;
}

/**
 * Groups inputs into batches of similar length: sorts by token count (longest first, so
 * a too-large batch fails early) and slices. Padding then only fills the gap between
 * neighbours instead of up to the longest text overall. Stable for equal lengths.
 */
export function planBatches(ids: readonly number[][], batchSize: number): TokenBatch[] {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const order = ids.map((_, i) => i).sort((a, b) => (ids[b]?.length ?? 0) - (ids[a]?.length ?? 0) || a - b);
  const batches: TokenBatch[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    batches.push(batchOf(ids, order.slice(start, start + batchSize)));
  }
  return batches;
}

/** The batch of the inputs at `indices` (in that order), padded to the longest of them. */
export function batchOf(ids: readonly number[][], indices: number[]): TokenBatch {
  const rows = indices.map((i) => ids[i] as number[]);
  return { indices, ids: rows, seqLen: rows.reduce((m, r) => Math.max(m, r.length), 0) };
}

/** Flat int64 model inputs for one batch, right-padded with `padId`. */
export interface BatchTensors {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  dims: [number, number];
}

/** Builds the padded `[batch, seqLen]` input arrays of one batch. */
export function toBatchTensors(batch: TokenBatch, padId: number): BatchTensors {
  const rows = batch.ids.length;
  const cols = batch.seqLen;
  const inputIds = new BigInt64Array(rows * cols);
  const attentionMask = new BigInt64Array(rows * cols);
  const pad = BigInt(padId);
  for (let r = 0; r < rows; r++) {
    const row = batch.ids[r] as number[];
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      if (c < row.length) {
        inputIds[base + c] = BigInt(row[c] as number);
        attentionMask[base + c] = 1n;
      } else {
        inputIds[base + c] = pad;
      }
    }
  }
  return { inputIds, attentionMask, tokenTypeIds: new BigInt64Array(rows * cols), dims: [rows, cols] };
}
