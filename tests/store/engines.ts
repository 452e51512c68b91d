/**
 * The index store engines under test, by name: the conformance suite runs for each, and its
 * child processes (`write-worker.ts`) build the same engine from its name. A new engine adds
 * one entry here and one `<name>.conformance.test.ts` calling `describeIndexStoreConformance`.
 */
import { mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderIndexStore, type IndexStore } from '@newsrag/core';
import { type KillPoint, LOCK_CLASS, qualified, SqliteIndexStore, writerLockName } from '@newsrag/core/internals';
import { PostgresIndexStore, parsePostgresLocation } from '@newsrag/core/postgres';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startPostgres } from '../support/postgres.js';

/**
 * One way to damage a stored index; `apply` returns what the INDEX_CORRUPT message and the
 * check's problems must name (a file, or a table of a database engine).
 */
export interface Damage {
  what: string;
  apply(location: string): Promise<string>;
  /**
   * Set when the engine notices the damage only when the damaged rows are read, not on open
   * (the reason why): the open succeeds, and every read covering those rows is INDEX_CORRUPT.
   */
  detectedOnRead?: string;
  /**
   * Set when a rebuild must not recover (the reason why): it is refused with INDEX_CORRUPT
   * naming the same place, and the index stays as it was.
   */
  rebuildRefused?: string;
}

/** Where one test file's indexes go: fresh, empty locations, all released at the end. */
export interface Places {
  fresh(): string;
  dispose(): Promise<void>;
}

export interface EngineUnderTest {
  name: string;
  make(location: string, options?: { expectFingerprintId?: string }): IndexStore;
  /** Sets up the places of one test file (a temp folder, a throw-away server). */
  places(): Promise<Places>;
  damages: Damage[];
  /** The engine's instrumented kill points, and whether the update is committed when killed there. */
  killPoints: { point: KillPoint; committed: boolean }[];
  /**
   * Waits until a writer killed at a kill point has let go of the writer lock, for an engine
   * whose lock is released by someone else than the dead process (a server), after the fact.
   */
  afterKill?(location: string): Promise<void>;
}

/** Folders under one temp folder, deleted at the end. */
async function folders(name: string): Promise<Places> {
  const root = await mkdtemp(join(tmpdir(), `newsrag-conformance-${name}-`));
  let n = 0;
  return {
    fresh: () => join(root, `index-${++n}`),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

async function currentGeneration(location: string): Promise<string> {
  return join(location, (await readFile(join(location, 'CURRENT'), 'utf8')).trim());
}

async function overwriteStart(file: string, text: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.write(Buffer.from(text), 0, text.length, 0);
  } finally {
    await handle.close();
  }
}

const folder: EngineUnderTest = {
  name: 'folder',
  make: (location, options) => new FolderIndexStore(location, options),
  places: () => folders('folder'),
  damages: [
    {
      what: 'vectors.f32 truncated',
      async apply(location) {
        const file = join(await currentGeneration(location), 'vectors.f32');
        const handle = await open(file, 'r+');
        await handle.truncate(((await handle.stat()).size / 2) | 0);
        await handle.close();
        return file;
      },
    },
    {
      what: 'manifest.json replaced by another program’s JSON',
      async apply(location) {
        const file = join(await currentGeneration(location), 'manifest.json');
        await writeFile(file, '{"name":"some-other-app","version":3}\n');
        return file;
      },
    },
    {
      what: 'chunks.jsonl overwritten with garbage',
      async apply(location) {
        const file = join(await currentGeneration(location), 'chunks.jsonl');
        await overwriteStart(file, '\u0000\u0001garbage');
        return file;
      },
    },
  ],
  killPoints: [
    { point: 'locked', committed: false },
    { point: 'mid-vectors', committed: false },
    { point: 'before-rename', committed: false },
    { point: 'after-rename', committed: false },
    { point: 'mid-current', committed: false },
    { point: 'after-current', committed: true },
  ],
};

const sqlite: EngineUnderTest = {
  name: 'sqlite',
  make: (location, options) => new SqliteIndexStore(location, options),
  places: () => folders('sqlite'),
  damages: [
    {
      what: 'index.sqlite header overwritten',
      async apply(location) {
        const file = join(location, 'index.sqlite');
        await overwriteStart(file, 'this is not a database at all!!');
        return file;
      },
    },
    {
      what: 'index.sqlite replaced by another program’s SQLite database',
      async apply(location) {
        const file = join(location, 'index.sqlite');
        for (const entry of await readdir(location)) {
          if (entry.startsWith('index.sqlite')) await writeFile(join(location, entry), '');
        }
        const db = new Database(file);
        db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');");
        db.close();
        return file;
      },
    },
    {
      what: 'a quantised vector BLOB cut short',
      async apply(location) {
        const file = join(location, 'index.sqlite');
        const db = new Database(file);
        db.exec('UPDATE quantized SET codes = substr(codes, 1, 8) WHERE seq = (SELECT min(seq) FROM quantized)');
        db.close();
        return file;
      },
    },
  ],
  killPoints: [
    { point: 'locked', committed: false },
    { point: 'mid-transaction', committed: false },
    { point: 'before-commit', committed: false },
    { point: 'after-commit', committed: true },
  ],
};

/** Runs `sql` on the server of the Postgres index at `location`; `t(table)` names the index's tables. */
async function onServer(location: string, sql: (t: (table: string) => string) => string): Promise<void> {
  const where = parsePostgresLocation(location);
  const client = new pg.Client({ connectionString: where.connectionString });
  await client.connect();
  try {
    await client.query(sql((table) => qualified(where.schema, table)));
  } finally {
    await client.end();
  }
}

function table(location: string, name: string): string {
  return qualified(parsePostgresLocation(location).schema, name);
}

const postgres: EngineUnderTest = {
  name: 'postgres',
  make: (location, options) => new PostgresIndexStore(location, options),
  // One throw-away server per test file, one schema per index.
  async places() {
    const server = await startPostgres();
    let n = 0;
    return { fresh: () => server.url({ schema: `conformance_${++n}` }), dispose: () => server.stop() };
  },
  // No file damages: the server owns its files (and their checksums); what the engine must name
  // is rows and tables changed behind its back.
  damages: [
    {
      what: 'the meta row’s fingerprint replaced by another program’s JSON',
      async apply(location) {
        await onServer(
          location,
          (t) => `UPDATE ${t('meta')} SET fingerprint = '{"name":"some-other-app","version":3}'`,
        );
        return table(location, 'meta');
      },
    },
    {
      what: 'an article row deleted behind the engine’s back (its chunks cascade), so meta’s counts disagree',
      async apply(location) {
        await onServer(location, (t) => `DELETE FROM ${t('articles')} WHERE id = 'b/three'`);
        return table(location, 'articles');
      },
    },
    {
      what: 'a chunk row deleted behind the engine’s back, so its article is short of a chunk',
      detectedOnRead:
        'meta and the articles agree, and counting the chunks table on every open is a scan of the whole index',
      async apply(location) {
        await onServer(
          location,
          (t) =>
            `DELETE FROM ${t('chunks')} WHERE article_key = (SELECT key FROM ${t('articles')} WHERE id = 'b/three') AND ordinal = 1`,
        );
        return table(location, 'chunks');
      },
    },
    {
      what: 'the chunks table replaced by another program’s table of that name',
      rebuildRefused: 'a database is shared with other programs: the engine never drops a table it did not create',
      async apply(location) {
        await onServer(
          location,
          (t) =>
            `DROP TABLE ${t('chunks')}; CREATE TABLE ${t('chunks')} (id serial PRIMARY KEY, body text); INSERT INTO ${t('chunks')} (body) VALUES ('hello')`,
        );
        return table(location, 'chunks');
      },
    },
  ],
  killPoints: [
    { point: 'locked', committed: false },
    { point: 'mid-transaction', committed: false },
    { point: 'before-commit', committed: false },
    { point: 'after-commit', committed: true },
  ],
  // The server ends a killed writer's transaction (and its lock) when it sees the connection drop,
  // a moment after the kill: wait for that, then the next writer must get the lock at once.
  async afterKill(location) {
    const where = parsePostgresLocation(location);
    const client = new pg.Client({ connectionString: where.connectionString });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL lock_timeout = '30s'");
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, writerLockName(where.schema)]);
    } finally {
      await client.query('ROLLBACK').catch(() => {});
      await client.end();
    }
  },
};

export const ENGINES: Record<string, EngineUnderTest> = { folder, sqlite, postgres };

export function engine(name: string): EngineUnderTest {
  const e = ENGINES[name];
  if (!e) throw new Error(`unknown engine ${name}; known: ${Object.keys(ENGINES).join(', ')}`);
  return e;
}
