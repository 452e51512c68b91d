/**
 * The PostgreSQL + pgvector engine, a subpath of its own (`@newsrag/core/postgres`)
 * so that importing `@newsrag/core` never loads `pg` for users of the embedded engines.
 *
 * @example
 * ```ts
 * import { PostgresIndexStore } from '@newsrag/core/postgres';
 * const store = new PostgresIndexStore('postgres://localhost/news?schema=newsrag');
 * const snapshot = await store.snapshot(); // null until the first write
 * await store.close();
 * ```
 */
export * from './store/postgres/index.js';
