/**
 * The weight precisions a model can be loaded in, for option schemas and CLI choices:
 * `fp32` loads `onnx/model.onnx`, `q8` the int8-quantised `onnx/model_quantized.onnx`.
 */
export const EMBED_DTYPES = ['fp32', 'q8'] as const;

/** A weight precision: one of {@link EMBED_DTYPES}. */
export type EmbedDtype = (typeof EMBED_DTYPES)[number];
