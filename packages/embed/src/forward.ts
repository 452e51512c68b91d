import { Tensor } from '@huggingface/transformers';
import type { BatchTensors } from './batch.js';
import { EmbedError } from './errors.js';
import type { LoadedModel } from './load.js';
import { poolHiddenState } from './pooling.js';
import type { Pooling } from './types.js';

/** One forward pass's pooled rows: `rows × width` floats. */
export interface PooledBatch {
  pooled: Float32Array;
  width: number;
}

/** Runs one forward pass and pools it; the embedder's only call into the model. */
export type Forward = (t: BatchTensors) => Promise<PooledBatch>;

/** The ONNX session's input names; empty when the session does not say. */
export function sessionInputs(loaded: LoadedModel): Set<string> {
  const sessions = Object.values(loaded.model.sessions) as { inputNames?: readonly string[] }[];
  return new Set(sessions[0]?.inputNames ?? []);
}

/**
 * A forward pass on this thread over a loaded model: inputs built as int64 tensors, then
 * `last_hidden_state` pooled (and normalised). Disposes its input and output tensors
 * whatever happens.
 */
export function inProcessForward(loaded: LoadedModel, pooling: Pooling, normalize: boolean): Forward {
  const inputNames = sessionInputs(loaded);
  return async (t) => {
    const feeds: Record<string, Tensor> = {};
    const available: Record<string, BigInt64Array> = {
      input_ids: t.inputIds,
      attention_mask: t.attentionMask,
      token_type_ids: t.tokenTypeIds,
    };
    for (const [name, data] of Object.entries(available)) {
      if (inputNames.size === 0 || inputNames.has(name)) feeds[name] = new Tensor('int64', data, t.dims);
    }
    // transformers.js returns a plain record of output tensors; its typings say `any`.
    let outputs: Record<string, Tensor> = {};
    try {
      outputs = (await loaded.model.forward(feeds)) as Record<string, Tensor>;
      const hidden = outputs.last_hidden_state ?? Object.values(outputs)[0];
      if (hidden === undefined || hidden.dims.length !== 3 || !(hidden.data instanceof Float32Array)) {
        throw new EmbedError(
          'EMBED_MODEL_INVALID',
          `The model in ${loaded.dir} must output a float32 last_hidden_state [batch, tokens, hidden]; got ${describeOutputs(outputs)}.`,
        );
      }
      const dims = hidden.dims as [number, number, number];
      return { pooled: poolHiddenState(hidden.data, t.attentionMask, dims, pooling, normalize), width: dims[2] };
    } finally {
      for (const tensor of Object.values(feeds)) tensor.dispose();
      for (const tensor of Object.values(outputs)) tensor.dispose();
    }
  };
}

function describeOutputs(outputs: Record<string, Tensor>): string {
  const parts = Object.entries(outputs).map(([name, t]) => `${name} ${t.type} [${t.dims.join(', ')}]`);
  return parts.length > 0 ? parts.join('; ') : 'no outputs';
}
