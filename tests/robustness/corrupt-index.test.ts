/**
 * A damaged index folder, through the library and the CLI: a clear error naming the
 * file with the way to rebuild, never a crash or an answer from bad data (`ask`,
 * `stats --check` and an incremental `index` all exit 1 and leave every file as it was),
 * and `newsrag index --rebuild <paths>` repairs it (checked, and answering again).
 */
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FolderIndexStore, NewsragError, openKnowledgeBase } from '@newsrag/core';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySeeds, newsrag, requireCli, SEED_ANSWER, SEED_ARTICLE_ID, SEED_QUESTION, tempDir } from './support.js';

let work: string;
let indexDir: string;
let pristine: string;
let embedder: Embedder;
/** These damages are to the folder format's files; the SQLite engine's are in tests/store (conformance). */
const FOLDER = ['--engine', 'folder'];

beforeAll(async () => {
  requireCli();
  work = await tempDir('corrupt');
  await copySeeds(path.join(work, 'data', 'articles'));
  const built = await newsrag(work, [...FOLDER, 'index', 'data/articles', '--json']);
  expect(built.code, built.stderr).toBe(0);
  indexDir = path.join(work, '.newsrag');
  pristine = path.join(work, 'pristine');
  await cp(indexDir, pristine, { recursive: true });
  embedder = await createEmbedder({ model: 'standin' });
}, 120_000);

afterAll(async () => {
  await embedder?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Every file of the index folder with its contents, to show a refused run changed nothing. */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(indexDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(indexDir, file)] = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  }
  return out;
}

/** The live generation folder. */
async function generation(): Promise<string> {
  return path.join(indexDir, (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim());
}

interface Case {
  name: string;
  code: 'INDEX_CORRUPT' | 'INDEX_SCHEMA_NEWER';
  /** Damages the index; returns the file the error must name. */
  damage: () => Promise<string>;
  /** What the message must say besides the file name. */
  says: RegExp;
}

const cases: Case[] = [
  {
    name: 'truncated vectors.f32',
    code: 'INDEX_CORRUPT',
    says: /vectors\.f32|bytes/,
    damage: async () => {
      const file = path.join(await generation(), 'vectors.f32');
      const size = (await readFile(file)).length;
      await truncate(file, Math.floor(size / 2));
      return file;
    },
  },
  {
    name: 'truncated chunks.jsonl (cut inside a line)',
    code: 'INDEX_CORRUPT',
    says: /truncated|lines/,
    damage: async () => {
      const file = path.join(await generation(), 'chunks.jsonl');
      const size = (await readFile(file)).length;
      await truncate(file, Math.floor(size * 0.6));
      return file;
    },
  },
  {
    name: 'manifest.json that is not JSON (cut in half)',
    code: 'INDEX_CORRUPT',
    says: /not valid JSON/,
    damage: async () => {
      const file = path.join(await generation(), 'manifest.json');
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.slice(0, Math.floor(text.length / 2)));
      return file;
    },
  },
  {
    name: 'manifest.json missing a field',
    code: 'INDEX_CORRUPT',
    says: /dimensions/,
    damage: async () => {
      const file = path.join(await generation(), 'manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      delete manifest.dimensions;
      await writeFile(file, JSON.stringify(manifest));
      return file;
    },
  },
  {
    name: 'vectors.f32 of the wrong length (one row too many)',
    code: 'INDEX_CORRUPT',
    says: /bytes|rows|length/,
    damage: async () => {
      const file = path.join(await generation(), 'vectors.f32');
      const bytes = await readFile(file);
      const dims = JSON.parse(await readFile(path.join(await generation(), 'manifest.json'), 'utf8'))
        .dimensions as number;
      await writeFile(file, Buffer.concat([bytes, bytes.subarray(0, dims * 4)]));
      return file;
    },
  },
  {
    name: 'an index from a newer schema version',
    code: 'INDEX_SCHEMA_NEWER',
    says: /newer newsrag.*schemaVersion 2/,
    damage: async () => {
      const file = path.join(await generation(), 'manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...manifest, schemaVersion: 2, somethingNew: { x: 1 } }));
      return file;
    },
  },
  {
    name: 'a generation folder that is gone (CURRENT names it)',
    code: 'INDEX_CORRUPT',
    says: /missing/,
    damage: async () => {
      const gen = await generation();
      await rm(gen, { recursive: true });
      return gen;
    },
  },
  {
    name: 'a CURRENT file of garbage',
    code: 'INDEX_CORRUPT',
    says: /CURRENT|generation/,
    damage: async () => {
      const file = path.join(indexDir, 'CURRENT');
      await writeFile(file, '\u0000\u0000garbage\n');
      return file;
    },
  },
];

describe('a damaged index', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.code} through the library and the CLI, then index --rebuild repairs it`, async () => {
      await rm(indexDir, { recursive: true, force: true });
      await cp(pristine, indexDir, { recursive: true });
      const file = await c.damage();

      // Library.
      const opened = openKnowledgeBase({ indexDir, embedder, engine: 'folder' });
      await expect(opened).rejects.toBeInstanceOf(NewsragError);
      const error = (await opened.catch((e: unknown) => e)) as NewsragError;
      expect(error.code).toBe(c.code);
      expect(error.message).toContain(file);
      expect(error.message).toMatch(c.says);
      expect(error.message).toContain('newsrag index --rebuild');

      // CLI: ask, stats --check and an incremental index all fail with exit code 1 and
      // the same message; ask prints no answer, and the index is left as it was.
      const before = await snapshot();
      const [ask, stats, incremental] = await Promise.all([
        newsrag(work, [...FOLDER, 'ask', SEED_QUESTION]),
        newsrag(work, [...FOLDER, 'stats', '--check']),
        newsrag(work, [...FOLDER, 'index', 'data/articles']),
      ]);
      for (const r of [ask, stats, incremental]) {
        expect(r.code, r.stderr).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(file);
        expect(r.stderr).toContain(`[${c.code}]`);
        expect(r.stderr).toContain('newsrag index --rebuild');
        expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      }
      expect(await snapshot()).toEqual(before);

      // The documented repair.
      const rebuilt = await newsrag(work, [...FOLDER, 'index', '--rebuild', 'data/articles', '--json']);
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      expect(JSON.parse(rebuilt.stdout)).toMatchObject({ added: 3 });
      expect(await new FolderIndexStore(indexDir).check()).toMatchObject({ ok: true, articleCount: 3 });
      const kb = await openKnowledgeBase({ indexDir, embedder, engine: 'folder' });
      try {
        const a = await kb.answer(SEED_QUESTION);
        expect(a.answer).toMatch(SEED_ANSWER);
        expect(a.citations[0]?.articleId).toBe(SEED_ARTICLE_ID);
      } finally {
        await kb.close();
      }
    }, 60_000);
  }
});
