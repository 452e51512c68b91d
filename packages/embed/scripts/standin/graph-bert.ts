import {
  BERT_SMALL_SHAPE,
  type BertLayer,
  type BertShape,
  encodeBertGraph,
  IR_VERSION,
  OPSET,
  type Precision,
  wordEmbeddings,
} from '../../src/onnx/bert-graph.js';
import { DType, GraphBuilder } from '../../src/onnx/graph-builder.js';
import { createRng, randomNormalArray } from './prng.js';

export { type BertShape, IR_VERSION, OPSET, type Precision };

/** bge-small-en-v1.5's shape (12 layers of these sizes). */
export const BGE_SMALL_SHAPE: BertShape = BERT_SMALL_SHAPE;

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
 * The `standin-bge-shape` graph: bge-small's full compute (the real BERT graph of
 * `encodeBertGraph`) with weights arranged so the residual stream carries the embedding
 * unchanged up to LayerNorm's constant scale: position/type tables and the attention-output
 * and FFN-out weights are zero, Q/K/V/FFN-in are seeded random, LayerNorms are identity.
 * A final MatMul by `I − f fᵀ` removes the filler direction (see STANDIN.md).
 */
export function encodeBgeShapeGraph(table: Float32Array, precision: Precision, options: BgeShapeOptions): Uint8Array {
  const shape = options.shape ?? BGE_SMALL_SHAPE;
  const { hidden: H, intermediate: I } = shape;
  const rng = createRng(options.seed);
  const std = 1 / Math.sqrt(H);
  const rand = (n: number, s: number) => randomNormalArray(rng, n, s);
  const identityNorm = () => ({ gamma: new Float32Array(H).fill(1), beta: new Float32Array(H) });
  const zeroLinear = (inDim: number, outDim: number) => ({
    weight: new Float32Array(inDim * outDim),
    bias: new Float32Array(outDim),
  });
  const layers: BertLayer[] = [];
  for (let l = 0; l < options.layers; l++) {
    const query = { weight: rand(H * H, std), bias: rand(H, 0.02) };
    const key = { weight: rand(H * H, std), bias: rand(H, 0.02) };
    const value = { weight: rand(H * H, std), bias: rand(H, 0.02) };
    const intermediate = { weight: rand(H * I, std), bias: rand(I, 0.02) };
    layers.push({
      query,
      key,
      value,
      // Zero output projections: attention and FFN compute for real but add nothing to the residual.
      attentionOutput: zeroLinear(H, H),
      attentionNorm: identityNorm(),
      intermediate,
      output: zeroLinear(I, H),
      outputNorm: identityNorm(),
    });
  }
  return encodeBertGraph(
    {
      wordEmbeddings: table,
      positionEmbeddings: new Float32Array(shape.maxPositions * H),
      tokenTypeEmbeddings: new Float32Array(shape.typeVocabSize * H),
      embeddingNorm: identityNorm(),
      layers,
    },
    shape,
    precision,
    {
      graphName: 'newsrag-standin-bge-shape',
      docString: `newsrag stand-in with bge-small's shape (${options.layers} BERT layers) that passes SIF-weighted GloVe word vectors through unchanged. Not a trained transformer.`,
      // Kept fp32 in q8 too: int8 cannot represent the ~1/384-sized entries of f fᵀ.
      finalProjection: options.fillerRemover,
    },
  );
}
