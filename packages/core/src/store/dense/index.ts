export { DenseMatrix, jsScores, simdAvailable } from './kernel.js';
export { denseMatrixFor, readVectorsDense } from './read.js';
