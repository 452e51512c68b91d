/** Extractive answers: quoted sentences with [n] markers, corroboration and calibrated abstention. */
export { type AnswerTrace, answer, answerQueryText, answerWithTrace } from './answer.js';
export { CONFIDENCE_WEIGHTS, type ConfidenceFeatures } from './confidence.js';
export { type CorroborationRule, corroborates, groupCorroborations } from './corroborate.js';
export { type AnswerCalibration, CALIBRATIONS, calibrationFor, DEFAULT_CALIBRATION } from './thresholds.js';
