import { DEFAULTS } from '../config.js';
import { optionChecks } from '../option-checks.js';
import type { AnswerOptions } from '../types.js';
import type { AnswerCalibration } from './thresholds.js';

/** The answer's own options with every default filled in (the search options resolve separately). */
export interface ResolvedAnswerOptions {
  maxSentences: number;
  /** The abstention threshold: the caller's, else the embedder's calibration. */
  minConfidence: number;
  /** The caller set `maxSentences`: an exchange then gets no extra quote beyond it. */
  maxSentencesSet: boolean;
}

const check = optionChecks('Answer');

/**
 * Validates the answer options (→ `BAD_OPTIONS` naming the field) and fills in
 * {@link DEFAULTS}`.answer` and the calibrated threshold, as `resolveSearchOptions` does for search.
 */
export function resolveAnswerOptions(options: AnswerOptions, calibration: AnswerCalibration): ResolvedAnswerOptions {
  return {
    maxSentences: check.int('maxSentences', options.maxSentences, DEFAULTS.answer.maxSentences, 1, 10),
    minConfidence: check.fraction('minConfidence', options.minConfidence, calibration.minConfidence),
    maxSentencesSet: options.maxSentences !== undefined,
  };
}
