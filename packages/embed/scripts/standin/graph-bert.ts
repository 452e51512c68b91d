import { DType, float, GraphBuilder } from './onnx-write.js';
import { createRng, randomNormalArray } from './prng.js';
import { quantizeRows, quantizeTensor } from './quantize.js';

/** ONNX opset and IR version written (LayerNormalization needs opset 17; onnxruntime-node 1.30 reads IR 8). */
export const OPSET = 17;
export const IR_VERSION = 8;

/** BERT-small shape shared by both stand-ins (bge-small-en-v1.5 / all-MiniLM-L6-v2 sizes). */
export interface BertShape {
  vocabSize: number;
  hidden: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
}

export const BGE_SMALL_SHAPE: BertShape = {
  vocabSize: 30522,
  hidden: 384,
  heads: 12,
  intermediate: 1536,
  maxPositions: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
};

/** Whether weights are fp32 or int8 (q8, like transformers.js's `model_quantized.onnx`). */
export type Precision = 'fp32' | 'q8';

const BATCH = 'batch_size';
const SEQ = 'sequence_length';

/** Declares the three BERT inputs transformers.js feeds (int64 `[batch, sequence]`). */
function bertInputs(g: GraphBuilder): { ids: string; mask: string; types: string } {
  return {
    ids: g.input('input_ids', DType.int64, [BATCH, SEQ]),
    mask: g.input('attention_mask', DType.int64, [BATCH, SEQ]),
    types: g.input('token_type_ids', DType.int64, [BATCH, SEQ]),
  };
}

/**
 * Gathers rows of the word-embedding table. In q8 the table is int8 with a scale per
 * row and is dequantised (`DequantizeLinear`, axis 0) before the Gather, as in
 * transformers.js's quantized BERT exports.
 */
function wordEmbeddings(
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

/**
 * The `standin` graph: `last_hidden_state = (E[input_ids] + T[token_type_ids]) * mask`.
 * T is all zeros and the mask product only zeroes padding (which mean pooling ignores);
 * both exist so every declared input is consumed, as onnxruntime expects.
 */
export function encodeStandinGraph(
  table: Float32Array,
  precision: Precision,
  shape: BertShape = BGE_SMALL_SHAPE,
): Uint8Array {
  const g = new GraphBuilder();
  const { ids, mask, types } = bertInputs(g);
  const words = wordEmbeddings(g, table, shape, ids, precision);
  const typeTable = g.floats(
    'embeddings.token_type_embeddings.weight',
    [shape.typeVocabSize, shape.hidden],
    new Float32Array(shape.typeVocabSize * shape.hidden),
  );
  const typeEmb = g.op1('Gather', [typeTable, types], { axis: 0 }, 'embeddings');
  const summed = g.op1('Add', [words, typeEmb], {}, 'embeddings');
  const maskF = g.op1('Cast', [mask], { to: DType.float }, 'mask');
  const mask3 = g.op1('Unsqueeze', [maskF, g.int64s('const.axes_last', [1], [-1])], {}, 'mask');
  g.op1('Mul', [summed, mask3], {}, 'output');
  g.output(g.renameLastOutput('last_hidden_state'), DType.float, [BATCH, SEQ, shape.hidden]);
  return g.encode({
    graphName: 'newsrag-standin',
    opset: OPSET,
    irVersion: IR_VERSION,
    docString:
      'newsrag stand-in: SIF-weighted GloVe word vectors in a BERT file layout (0 encoder layers). Not a trained transformer.',
  });
}

/** Options of the bge-shaped graph. */
export interface BgeShapeOptions {
  layers: number;
  /** Seed of the (functionally inert) Q/K/V and FFN-in weights. */
  seed: number;
  /** `I − f fᵀ` (hidden × hidden), applied last to drop the filler direction. */
  fillerRemover: Float32Array;
  shape?: BertShape;
}

/**
 * The `standin-bge-shape` graph: bge-small's full compute (embeddings + LayerNorm,
 * `layers` post-LN encoder layers with 12-head attention and an Erf-GELU FFN), arranged
 * so the residual stream carries the embedding unchanged up to LayerNorm's constant
 * scale: attention-output and FFN-out weights are zero, Q/K/V/FFN-in are seeded random.
 * A final MatMul by `I − f fᵀ` removes the filler direction (see STANDIN.md).
 */
export function encodeBgeShapeGraph(table: Float32Array, precision: Precision, options: BgeShapeOptions): Uint8Array {
  const shape = options.shape ?? BGE_SMALL_SHAPE;
  const { hidden: H, heads, intermediate: I } = shape;
  const headDim = H / heads;
  const g = new GraphBuilder();
  const rng = createRng(options.seed);
  const { ids, mask, types } = bertInputs(g);

  // Embeddings: word + position + token type, then LayerNorm (position/type tables are zero).
  const words = wordEmbeddings(g, table, shape, ids, precision);
  const posTable = g.floats(
    'embeddings.position_embeddings.weight',
    [shape.maxPositions, H],
    new Float32Array(shape.maxPositions * H),
  );
  const typeTable = g.floats(
    'embeddings.token_type_embeddings.weight',
    [shape.typeVocabSize, H],
    new Float32Array(shape.typeVocabSize * H),
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
  let h = layerNorm(g, emb, H, shape.layerNormEps, 'embeddings.LayerNorm');

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
  const one = 'const.one_f';
  const linear = (x: string, name: string, w: Float32Array, b: Float32Array, inDim: number, outDim: number): string =>
    dense(g, x, name, w, b, inDim, outDim, precision);

  for (let l = 0; l < options.layers; l++) {
    const p = `encoder.layer.${l}`;
    const std = 1 / Math.sqrt(H);
    const rand = (n: number, s: number) => randomNormalArray(rng, n, s);
    const q = linear(h, `${p}.attention.self.query`, rand(H * H, std), rand(H, 0.02), H, H);
    const k = linear(h, `${p}.attention.self.key`, rand(H * H, std), rand(H, 0.02), H, H);
    const v = linear(h, `${p}.attention.self.value`, rand(H * H, std), rand(H, 0.02), H, H);
    const heads4 = (x: string, perm: number[]) =>
      g.op1('Transpose', [g.op1('Reshape', [x, splitHeads], {}, p)], { perm }, p);
    const qh = heads4(q, [0, 2, 1, 3]);
    const kh = heads4(k, [0, 2, 3, 1]);
    const vh = heads4(v, [0, 2, 1, 3]);
    const scores = g.op1('Add', [g.op1('Mul', [g.op1('MatMul', [qh, kh], {}, p), scale], {}, p), maskBias], {}, p);
    const probs = g.op1('Softmax', [scores], { axis: -1 }, p);
    const ctx = g.op1(
      'Reshape',
      [g.op1('Transpose', [g.op1('MatMul', [probs, vh], {}, p)], { perm: [0, 2, 1, 3] }, p), mergeHeads],
      {},
      p,
    );
    // Zero output projection: attention computes for real but adds nothing to the residual.
    const attnOut = linear(ctx, `${p}.attention.output.dense`, new Float32Array(H * H), new Float32Array(H), H, H);
    h = layerNorm(g, g.op1('Add', [attnOut, h], {}, p), H, shape.layerNormEps, `${p}.attention.output.LayerNorm`);
    const inter = linear(h, `${p}.intermediate.dense`, rand(H * I, std), rand(I, 0.02), H, I);
    // Erf GELU, as PyTorch's exact gelu exports: x · 0.5 · (1 + erf(x / √2)).
    const erf = g.op1('Erf', [g.op1('Div', [inter, sqrt2], {}, p)], {}, p);
    const gelu = g.op1('Mul', [g.op1('Mul', [inter, g.op1('Add', [erf, one], {}, p)], {}, p), half], {}, p);
    const ffnOut = linear(gelu, `${p}.output.dense`, new Float32Array(I * H), new Float32Array(H), I, H);
    h = layerNorm(g, g.op1('Add', [ffnOut, h], {}, p), H, shape.layerNormEps, `${p}.output.LayerNorm`);
  }

  // Kept fp32 in q8 too: int8 cannot represent the ~1/384-sized entries of f fᵀ.
  g.op1('MatMul', [h, g.floats('standin.filler_remover', [H, H], options.fillerRemover)], {}, 'output');
  g.output(g.renameLastOutput('last_hidden_state'), DType.float, [BATCH, SEQ, H]);
  return g.encode({
    graphName: 'newsrag-standin-bge-shape',
    opset: OPSET,
    irVersion: IR_VERSION,
    docString: `newsrag stand-in with bge-small's shape (${options.layers} BERT layers) that passes SIF-weighted GloVe word vectors through unchanged. Not a trained transformer.`,
  });
}

function layerNorm(g: GraphBuilder, x: string, hidden: number, eps: number, name: string): string {
  const gamma = g.floats(`${name}.weight`, [hidden], new Float32Array(hidden).fill(1));
  const beta = g.floats(`${name}.bias`, [hidden], new Float32Array(hidden));
  return g.op1('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: float(eps) }, name);
}

/**
 * `x · W + b`. In q8 this is onnxruntime's dynamic quantisation pattern:
 * `DynamicQuantizeLinear(x)` → `MatMulInteger(x_q, W_q)` → Cast → × (x_scale · W_scale).
 */
function dense(
  g: GraphBuilder,
  x: string,
  name: string,
  w: Float32Array,
  b: Float32Array,
  inDim: number,
  outDim: number,
  precision: Precision,
): string {
  const bias = g.floats(`${name}.bias`, [outDim], b);
  if (precision === 'fp32') {
    const y = g.op1('MatMul', [x, g.floats(`${name}.weight`, [inDim, outDim], w)], {}, name);
    return g.op1('Add', [y, bias], {}, name);
  }
  const q = quantizeTensor(w);
  const [xq, xScale, xZero] = g.op('DynamicQuantizeLinear', [x], {}, 3, name);
  if (xq === undefined || xScale === undefined || xZero === undefined)
    throw new Error('unreachable: DynamicQuantizeLinear has 3 outputs');
  const wq = g.int8s(`${name}.weight_quantized`, [inDim, outDim], q.values);
  const wZero = g.int8s(`${name}.weight_zero_point`, [], new Int8Array(1));
  const yInt = g.op1('MatMulInteger', [xq, wq, xZero, wZero], {}, name);
  const yF = g.op1('Cast', [yInt], { to: DType.float }, name);
  const s = g.op1('Mul', [xScale, g.floats(`${name}.weight_scale`, [], Float32Array.of(q.scale))], {}, name);
  return g.op1('Add', [g.op1('Mul', [yF, s], {}, name), bias], {}, name);
}
