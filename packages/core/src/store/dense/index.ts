export { INT8_MAX, jsInt8Scores, QuantizedMatrix, quantizedBlob, quantizeInto } from './int8.js';
export { DenseMatrix, jsScores, simdAvailable } from './kernel.js';
export { denseMatrixFor, readVectorsDense } from './read.js';
