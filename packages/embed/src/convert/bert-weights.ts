import { EmbedError } from '../errors.js';
import type { BertLayer, BertShape, BertWeights, LayerNormWeights, Linear } from '../onnx/bert-graph.js';
import type { Tensor32 } from './safetensors.js';

/** A BERT `config.json`, reduced to what the graph needs, with its layer count. */
export interface BertConfig extends BertShape {
  layers: number;
}

/**
 * Reads and checks a Hugging Face BERT `config.json`: only absolute-position BERT with
 * exact GELU is converted, since that is the graph {@link encodeBertGraph} writes.
 * @throws EmbedError `EMBED_MODEL_INVALID` naming the field.
 */
export function parseBertConfig(raw: Record<string, unknown>, file: string): BertConfig {
  const int = (key: string): number => {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new EmbedError(
        'EMBED_MODEL_INVALID',
        `${file}: "${key}" must be a positive integer, got ${JSON.stringify(v)?.slice(0, 40)}.`,
      );
    return v;
  };
  const want = (key: string, values: readonly unknown[]) => {
    if (raw[key] !== undefined && !values.includes(raw[key]))
      throw new EmbedError(
        'EMBED_MODEL_INVALID',
        `${file}: "${key}" is ${JSON.stringify(raw[key])?.slice(0, 40)}; only ${values.join(' or ')} can be converted.`,
      );
  };
  want('model_type', ['bert']);
  want('hidden_act', ['gelu']);
  want('position_embedding_type', ['absolute']);
  const eps = raw.layer_norm_eps;
  return {
    vocabSize: int('vocab_size'),
    hidden: int('hidden_size'),
    heads: int('num_attention_heads'),
    intermediate: int('intermediate_size'),
    maxPositions: int('max_position_embeddings'),
    typeVocabSize: int('type_vocab_size'),
    layerNormEps: typeof eps === 'number' && eps > 0 ? eps : 1e-12,
    layers: int('num_hidden_layers'),
  };
}

/**
 * Maps a BERT checkpoint's tensors (`embeddings.*`, `encoder.layer.N.*`, with or without
 * a `bert.` prefix) onto {@link BertWeights}, checking every shape against the config and
 * transposing Linear weights from PyTorch's `[out, in]` to the graph's `[in, out]`.
 * @throws EmbedError `EMBED_MODEL_INVALID` naming the missing or misshapen tensor.
 */
export function bertWeightsFrom(tensors: ReadonlyMap<string, Tensor32>, c: BertConfig, file: string): BertWeights {
  const prefix = tensors.has('bert.embeddings.word_embeddings.weight') ? 'bert.' : '';
  const get = (name: string, shape: number[]): Float32Array => {
    const t = tensors.get(prefix + name);
    if (t === undefined) throw new EmbedError('EMBED_MODEL_INVALID', `${file} has no tensor ${prefix}${name}.`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
      throw new EmbedError(
        'EMBED_MODEL_INVALID',
        `${file}: tensor ${prefix}${name} is [${t.shape.join(', ')}], the config implies [${shape.join(', ')}].`,
      );
    return t.data;
  };
  const linear = (name: string, inDim: number, outDim: number): Linear => ({
    weight: transpose(get(`${name}.weight`, [outDim, inDim]), outDim, inDim),
    bias: get(`${name}.bias`, [outDim]),
  });
  const norm = (name: string): LayerNormWeights => ({
    gamma: get(`${name}.weight`, [c.hidden]),
    beta: get(`${name}.bias`, [c.hidden]),
  });
  const H = c.hidden;
  const layers: BertLayer[] = [];
  for (let l = 0; l < c.layers; l++) {
    const p = `encoder.layer.${l}`;
    layers.push({
      query: linear(`${p}.attention.self.query`, H, H),
      key: linear(`${p}.attention.self.key`, H, H),
      value: linear(`${p}.attention.self.value`, H, H),
      attentionOutput: linear(`${p}.attention.output.dense`, H, H),
      attentionNorm: norm(`${p}.attention.output.LayerNorm`),
      intermediate: linear(`${p}.intermediate.dense`, H, c.intermediate),
      output: linear(`${p}.output.dense`, c.intermediate, H),
      outputNorm: norm(`${p}.output.LayerNorm`),
    });
  }
  return {
    wordEmbeddings: get('embeddings.word_embeddings.weight', [c.vocabSize, H]),
    positionEmbeddings: get('embeddings.position_embeddings.weight', [c.maxPositions, H]),
    tokenTypeEmbeddings: get('embeddings.token_type_embeddings.weight', [c.typeVocabSize, H]),
    embeddingNorm: norm('embeddings.LayerNorm'),
    layers,
  };
}

/** `[rows, cols]` → `[cols, rows]`, row-major. */
export function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c] as number;
  return out;
}
