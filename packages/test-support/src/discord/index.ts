/** The local Discord stand-in: one import for tests, the load benchmark and the bench suite. */
export * from './clock.js';
export * from './gateway.js';
export * from './interactions.js';
export * from './message-limits.js';
export * from './payloads.js';
export * from './rate-limits.js';
export * from './rest.js';
export * from './server.js';
export * from './threads.js';
