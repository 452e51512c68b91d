export * from './types.js';
export { NewsragError, type NewsragErrorCode } from './errors.js';
