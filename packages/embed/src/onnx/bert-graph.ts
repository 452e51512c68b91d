import type { EmbedDtype } from '../dtype.js';
import { DType, float, GraphBuilder } from './graph-builder.js';
import { quantizeColumns, quantizeRows } from './quantize.js';

/** ONNX opset and IR version written (LayerNormalization needs opset 17; onnxruntime-node 1.30 reads IR 8). */
export const OPSET = 17;
export const IR_VERSION = 8;

/** The sizes of a BERT encoder, as in a Hugging Face `config.json`. */
export interface BertShape {
  vocabSize: number;
  hidden: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
}

/** bge-small-en-v1.5 and all-MiniLM-L6-v2 share these sizes (bge has 12 layers, MiniLM 6). */
export const BERT_SMALL_SHAPE: BertShape = {
  vocabSize: 30522,
  hidden: 384,
  heads: 12,
  intermediate: 1536,
  maxPositions: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
};

/** Whether weights are fp32 or int8 (q8, like transformers.js's `model_quantized.onnx`). */
export type Precision = EmbedDtype;

/** `y = x · weight + bias`, with `weight` row-major `[in, out]` (the transpose of PyTorch's Linear). */
export interface Linear {
  weight: Float32Array;
  bias: Float32Array;
}

export interface LayerNormWeights {
  gamma: Float32Array;
  beta: Float32Array;
}

export interface BertLayer {
  query: Linear;
  key: Linear;
  value: Linear;
  attentionOutput: Linear;
  attentionNorm: LayerNormWeights;
  intermediate: Linear;
  output: Linear;
  outputNorm: LayerNormWeights;
}

/** Every weight of a BERT encoder (no pooler: sentence embeddings pool `last_hidden_state`). */
export interface BertWeights {
  /** `[vocabSize, hidden]` */
  wordEmbeddings: Float32Array;
  /** `[maxPositions, hidden]` */
  positionEmbeddings: Float32Array;
  /** `[typeVocabSize, hidden]` */
  tokenTypeEmbeddings: Float32Array;
  embeddingNorm: LayerNormWeights;
  layers: BertLayer[];
}

/** What the written model says about itself. */
export interface GraphMeta {
  graphName: string;
  docString: string;
  /**
   * Optional `[hidden, hidden]` matrix applied to the output, kept fp32 in q8 too
   * (the stand-in uses it to drop a filler direction).
   */
  finalProjection?: Float32Array;
}

const BATCH = 'batch_size';
const SEQ = 'sequence_length';

/**
 * Writes a BERT encoder as an ONNX graph that transformers.js loads like a hub export:
 * inputs `input_ids`, `attention_mask`, `token_type_ids` (int64 `[batch, sequence]`),
 * output `last_hidden_state` (float32 `[batch, sequence, hidden]`).
 *
 * The graph is the post-LayerNorm BERT of Hugging Face's `BertModel` op for op
 * (absolute positions, additive attention mask of float32's minimum, exact Erf GELU),
 * so its outputs match PyTorch's to float rounding. In q8 the word-embedding table is
 * int8 with a scale per row, and the attention-output and feed-forward Linears run in int8
 * (see `dense`); Q/K/V stay fp32.
 */
export function encodeBertGraph(
  weights: BertWeights,
  shape: BertShape,
  precision: Precision,
  meta: GraphMeta,
): Uint8Array {
  const { hidden: H, heads, intermediate: I } = shape;
  if (H % heads !== 0) throw new RangeError(`hidden size ${H} is not a multiple of ${heads} heads`);
  const headDim = H / heads;
  const g = new GraphBuilder();
  const ids = g.input('input_ids', DType.int64, [BATCH, SEQ]);
  const mask = g.input('attention_mask', DType.int64, [BATCH, SEQ]);
  const types = g.input('token_type_ids', DType.int64, [BATCH, SEQ]);

  const words = wordEmbeddings(g, weights.wordEmbeddings, shape, ids, precision);
  const posTable = g.floats(
    'embeddings.position_embeddings.weight',
    [shape.maxPositions, H],
    weights.positionEmbeddings,
  );
  const typeTable = g.floats(
    'embeddings.token_type_embeddings.weight',
    [shape.typeVocabSize, H],
    weights.tokenTypeEmbeddings,
  );
  const idsShape = g.op1('Shape', [ids], {}, 'embeddings');
  const seqLen = g.op1('Gather', [idsShape, g.int64s('const.one_i64', [], [1])], { axis: 0 }, 'embeddings');
  const positions = g.op1(
    'Range',
    [g.int64s('const.zero_i64', [], [0]), seqLen, g.int64s('const.step_i64', [], [1])],
    {},
    'embeddings',
  );
  const posEmb = g.op1('Gather', [posTable, positions], { axis: 0 }, 'embeddings');
  const typeEmb = g.op1('Gather', [typeTable, types], { axis: 0 }, 'embeddings');
  const emb = g.op1('Add', [g.op1('Add', [words, posEmb], {}, 'embeddings'), typeEmb], {}, 'embeddings');
  let h = layerNorm(g, emb, weights.embeddingNorm, H, shape.layerNormEps, 'embeddings.LayerNorm');

  // Attention mask → additive bias [batch, 1, 1, seq]: 0 where attended, float32 min elsewhere (as HF does).
  const maskF = g.op1('Cast', [mask], { to: DType.float }, 'mask');
  const inverted = g.op1('Sub', [g.floats('const.one_f', [], Float32Array.of(1)), maskF], {}, 'mask');
  const bias2 = g.op1(
    'Mul',
    [inverted, g.floats('const.float_min', [], Float32Array.of(-3.4028234663852886e38))],
    {},
    'mask',
  );
  const maskBias = g.op1('Unsqueeze', [bias2, g.int64s('const.axes_1_2', [2], [1, 2])], {}, 'mask');

  const splitHeads = g.int64s('const.split_heads', [4], [0, 0, heads, headDim]);
  const mergeHeads = g.int64s('const.merge_heads', [3], [0, 0, H]);
  const scale = g.floats('const.attn_scale', [], Float32Array.of(1 / Math.sqrt(headDim)));
  const half = g.floats('const.half', [], Float32Array.of(0.5));
  const sqrt2 = g.floats('const.sqrt2', [], Float32Array.of(Math.SQRT2));
  if (precision === 'q8') {
    g.floats('const.tiny', [], Float32Array.of(1e-12));
    g.floats('const.int8_max', [], Float32Array.of(127));
    g.floats('const.int8_min', [], Float32Array.of(-127));
    g.floats('const.u8_offset', [], Float32Array.of(128));
    g.uint8s('const.u8_zero_point', [], Uint8Array.of(128));
    g.int8s('const.s8_zero_point', [], new Int8Array(1));
  }

  weights.layers.forEach((layer, l) => {
    const p = `encoder.layer.${l}`;
    const linear = (x: string, name: string, w: Linear, inDim: number, outDim: number, p8 = precision): string =>
      dense(g, x, `${p}.${name}`, w, inDim, outDim, p8);
    // Q/K/V stay fp32 in q8: int8 queries and keys shift the softmax enough to cost ~0.01
    // cosine on short or unusual texts (punctuation, emoji); the rest is 75 % of the FLOPs.
    const q = linear(h, 'attention.self.query', layer.query, H, H, 'fp32');
    const k = linear(h, 'attention.self.key', layer.key, H, H, 'fp32');
    const v = linear(h, 'attention.self.value', layer.value, H, H, 'fp32');
    const heads4 = (x: string, perm: number[]) =>
      g.op1('Transpose', [g.op1('Reshape', [x, splitHeads], {}, p)], { perm }, p);
    const scores = g.op1(
      'Add',
      [
        g.op1('Mul', [g.op1('MatMul', [heads4(q, [0, 2, 1, 3]), heads4(k, [0, 2, 3, 1])], {}, p), scale], {}, p),
        maskBias,
      ],
      {},
      p,
    );
    const probs = g.op1('Softmax', [scores], { axis: -1 }, p);
    const ctx = g.op1(
      'Reshape',
      [
        g.op1('Transpose', [g.op1('MatMul', [probs, heads4(v, [0, 2, 1, 3])], {}, p)], { perm: [0, 2, 1, 3] }, p),
        mergeHeads,
      ],
      {},
      p,
    );
    const attnOut = linear(ctx, 'attention.output.dense', layer.attentionOutput, H, H);
    h = layerNorm(
      g,
      g.op1('Add', [attnOut, h], {}, p),
      layer.attentionNorm,
      H,
      shape.layerNormEps,
      `${p}.attention.output.LayerNorm`,
    );
    const inter = linear(h, 'intermediate.dense', layer.intermediate, H, I);
    // Exact GELU, as BERT's "gelu" is in PyTorch: x · 0.5 · (1 + erf(x / √2)).
    const erf = g.op1('Erf', [g.op1('Div', [inter, sqrt2], {}, p)], {}, p);
    const gelu = g.op1('Mul', [g.op1('Mul', [inter, g.op1('Add', [erf, 'const.one_f'], {}, p)], {}, p), half], {}, p);
    const ffnOut = linear(gelu, 'output.dense', layer.output, I, H);
    h = layerNorm(
      g,
      g.op1('Add', [ffnOut, h], {}, p),
      layer.outputNorm,
      H,
      shape.layerNormEps,
      `${p}.output.LayerNorm`,
    );
  });

  if (meta.finalProjection !== undefined) {
    g.op1('MatMul', [h, g.floats('output.projection', [H, H], meta.finalProjection)], {}, 'output');
  } else {
    g.op1('Identity', [h], {}, 'output');
  }
  g.output(g.renameLastOutput('last_hidden_state'), DType.float, [BATCH, SEQ, H]);
  return g.encode({ graphName: meta.graphName, opset: OPSET, irVersion: IR_VERSION, docString: meta.docString });
}

/**
 * Gathers rows of the word-embedding table. In q8 the table is int8 with a scale per
 * row and is dequantised (`DequantizeLinear`, axis 0) before the Gather.
 */
export function wordEmbeddings(
  g: GraphBuilder,
  table: Float32Array,
  shape: BertShape,
  ids: string,
  precision: Precision,
): string {
  const dims = [shape.vocabSize, shape.hidden];
  if (precision === 'fp32')
    return g.op1(
      'Gather',
      [g.floats('embeddings.word_embeddings.weight', dims, table), ids],
      { axis: 0 },
      'embeddings',
    );
  const q = quantizeRows(table, shape.vocabSize, shape.hidden);
  const deq = g.op1(
    'DequantizeLinear',
    [
      g.int8s('embeddings.word_embeddings.weight_quantized', dims, q.values),
      g.floats('embeddings.word_embeddings.weight_scale', [shape.vocabSize], q.scales),
      g.int8s('embeddings.word_embeddings.weight_zero_point', [shape.vocabSize], q.zeroPoints),
    ],
    { axis: 0 },
    'embeddings',
  );
  return g.op1('Gather', [deq, ids], { axis: 0 }, 'embeddings');
}

function layerNorm(g: GraphBuilder, x: string, w: LayerNormWeights, hidden: number, eps: number, name: string): string {
  const gamma = g.floats(`${name}.weight`, [hidden], w.gamma);
  const beta = g.floats(`${name}.bias`, [hidden], w.beta);
  return g.op1('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: float(eps) }, name);
}

/**
 * `x · W + b`. In q8 both sides are int8 and symmetric: W with a scale per output column
 * (fixed), x with a scale per token computed at run time (max |x| of the row / 127), then
 * `MatMulInteger` → Cast → × (x_scale[token] · W_scale[column]) + b.
 *
 * Per-token scales rather than onnxruntime's `DynamicQuantizeLinear` (one uint8 range for
 * the whole batch): a token's error no longer depends on the largest activation of any
 * other token or padded text in the batch, so a text gets the same vector whatever it is
 * batched with, and the cosine to the fp32 model stays ≥ 0.99 even for punctuation-only
 * or non-Latin texts (per-tensor gave 0.964 at worst on the reference set).
 */
function dense(
  g: GraphBuilder,
  x: string,
  name: string,
  w: Linear,
  inDim: number,
  outDim: number,
  precision: Precision,
): string {
  const bias = g.floats(`${name}.bias`, [outDim], w.bias);
  if (precision === 'fp32') {
    const y = g.op1('MatMul', [x, g.floats(`${name}.weight`, [inDim, outDim], w.weight)], {}, name);
    return g.op1('Add', [y, bias], {}, name);
  }
  const q = quantizeColumns(w.weight, inDim, outDim);
  const maxAbs = g.op1('ReduceMax', [g.op1('Abs', [x], {}, name)], { axes: [-1], keepdims: 1 }, name);
  // A row of zeros gets scale 1 instead of 0 so nothing divides by zero.
  const safeMax = g.op1('Max', [maxAbs, 'const.tiny'], {}, name);
  const xScale = g.op1('Div', [safeMax, 'const.int8_max'], {}, name);
  // Symmetric int8 values shifted into uint8 with zero point 128: the same products, but
  // onnxruntime's fast u8×s8 kernel instead of its much slower s8×s8 one (2.8× CPU time here).
  const rounded = g.op1(
    'Clip',
    [g.op1('Round', [g.op1('Div', [x, xScale], {}, name)], {}, name), 'const.int8_min', 'const.int8_max'],
    {},
    name,
  );
  const xq = g.op1('Cast', [g.op1('Add', [rounded, 'const.u8_offset'], {}, name)], { to: DType.uint8 }, name);
  const wq = g.int8s(`${name}.weight_quantized`, [inDim, outDim], q.values);
  const yInt = g.op1('MatMulInteger', [xq, wq, 'const.u8_zero_point', 'const.s8_zero_point'], {}, name);
  const yF = g.op1('Cast', [yInt], { to: DType.float }, name);
  const scaled = g.op1(
    'Mul',
    [g.op1('Mul', [yF, xScale], {}, name), g.floats(`${name}.weight_scale`, [outDim], q.scales)],
    {},
    name,
  );
  return g.op1('Add', [scaled, bias], {}, name);
}
