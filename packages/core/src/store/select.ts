import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newsragError } from '../errors.js';
import type { IndexStore } from './contract.js';
import { FolderIndexStore } from './folder-store.js';
import { CURRENT_FILE } from './layout.js';
import { migrateFolderToSqlite } from './migrate.js';
import { isPostgresUrl } from './postgres/location.js';
import { SQLITE_FILE } from './sqlite/schema.js';
import { SqliteIndexStore } from './sqlite/sqlite-store.js';

/** The index engines: `folder` (generation folders + `CURRENT`) and `sqlite` (`index.sqlite`, the default). */
export type IndexEngine = 'folder' | 'sqlite';
/** What to open: `auto` takes the engine the folder already holds, or `newEngine` for a new index. */
export type IndexEngineChoice = 'auto' | IndexEngine;

/**
 * Which engine an index folder holds: `sqlite` when it has `index.sqlite`, `folder` when it
 * has `CURRENT` (and no `index.sqlite`), null when it holds no index yet.
 */
export function detectEngine(dir: string): IndexEngine | null {
  if (existsSync(join(dir, SQLITE_FILE))) return 'sqlite';
  if (existsSync(join(dir, CURRENT_FILE))) return 'folder';
  return null;
}

/** A store of the given engine on `dir`. */
export function storeFor(dir: string, engine: IndexEngine): IndexStore {
  return engine === 'sqlite' ? new SqliteIndexStore(dir) : new FolderIndexStore(dir);
}

export interface OpenIndexStoreOptions {
  /** Default `auto`. */
  engine?: IndexEngineChoice;
  /** The engine of a new index under `auto` (default `sqlite`). */
  newEngine?: IndexEngine;
  onNotice?: (line: string) => void;
}

/**
 * The store for index folder `dir`, or for the Postgres index a `postgres://` URL names
 * (`pg` is loaded only then; the engine choice does not apply to it). A folder-format index asked to open as `sqlite` is
 * migrated first (see {@link migrateFolderToSqlite}); a SQLite index asked to open as
 * `folder` is refused, since the folder engine cannot read it.
 * @throws BAD_OPTIONS for a SQLite index opened as `folder`; the migration's errors.
 */
export async function openIndexStore(dir: string, options: OpenIndexStoreOptions = {}): Promise<IndexStore> {
  if (isPostgresUrl(dir)) {
    const { PostgresIndexStore } = await import('./postgres/pg-store.js');
    return new PostgresIndexStore(dir);
  }
  const location = resolve(dir);
  const choice = options.engine ?? 'auto';
  const present = detectEngine(location);
  if (choice === 'auto') return storeFor(location, present ?? options.newEngine ?? 'sqlite');
  if (choice === 'folder' && present === 'sqlite') {
    throw newsragError('BAD_OPTIONS', {
      subject: `Engine folder on ${location}`,
      problem: `cannot read the SQLite index there (${SQLITE_FILE})`,
      fix: 'use --engine sqlite (or auto)',
    });
  }
  if (choice === 'sqlite' && present === 'folder') {
    const result = await migrateFolderToSqlite(location);
    options.onNotice?.(
      `Migrated the folder index in ${location} to SQLite (${result.articles} articles, ${result.chunks} chunks, verified) in ${result.seconds.toFixed(1)} s.`,
    );
  }
  return storeFor(location, choice);
}
