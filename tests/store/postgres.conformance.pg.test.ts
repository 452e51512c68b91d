/**
 * The store conformance suite for the Postgres + pgvector engine, against a real server: the
 * engine's `places()` (tests/store/engines.ts) starts one throw-away server for this file
 * (tests/support/postgres.ts) and stops it at the end, each index on a schema of its own.
 */
import { describeIndexStoreConformance } from './conformance.js';
import { engine } from './engines.js';

describeIndexStoreConformance(engine('postgres'));
