/**
 * The index store engines under test, by name: the conformance suite runs for each, and its
 * child processes (`write-worker.ts`) build the same engine from its name. A new engine adds
 * one entry here and one `<name>.conformance.test.ts` calling `describeIndexStoreConformance`.
 */
import { open, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FolderIndexStore } from '../../packages/core/src/store/folder-store.js';
import type { KillPoint } from '../../packages/core/src/store/kill-point.js';
import { SqliteIndexStore } from '../../packages/core/src/store/sqlite/sqlite-store.js';
import type { IndexStore } from '../../packages/core/src/types.js';

/** One way to damage a stored index; returns the file the INDEX_CORRUPT message must name. */
export interface Damage {
  what: string;
  apply(location: string): Promise<string>;
}

export interface EngineUnderTest {
  name: string;
  make(location: string, options?: { expectFingerprintId?: string }): IndexStore;
  damages: Damage[];
  /** The engine's instrumented kill points, and whether the update is committed when killed there. */
  killPoints: { point: KillPoint; committed: boolean }[];
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

export const ENGINES: Record<string, EngineUnderTest> = { folder, sqlite };

export function engine(name: string): EngineUnderTest {
  const e = ENGINES[name];
  if (!e) throw new Error(`unknown engine ${name}; known: ${Object.keys(ENGINES).join(', ')}`);
  return e;
}
